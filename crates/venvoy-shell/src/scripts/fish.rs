//! The fish `activate.fish` script.

use super::{Refusal, env_dir_str, fill_standard};
use crate::ActivationConfig;
use crate::quote;

const TEMPLATE: &str = include_str!("../templates/activate.fish");
const RELOCATE: &str = include_str!("../templates/relocate.fish");

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    try_render(cfg).unwrap_or_else(|r| refusal(&r))
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    let set_env_dir = if cfg.relocatable {
        RELOCATE.trim_end().to_owned()
    } else {
        format!("set -gx VIRTUAL_ENV {}", quote::fish(env_dir_str(cfg, "fish")?))
    };
    Ok(fill_standard(TEMPLATE, cfg, &set_env_dir, &set_vars(cfg), quote::fish))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "# Written by venvoy: this environment cannot be activated from fish.\n\
         echo {} >&2\n\
         return 1\n",
        quote::fish(&r.message())
    )
    .into_bytes()
}

/// Save each variable's old value, set and export it, and record the names
/// for `deactivate`.
fn set_vars(cfg: &ActivationConfig<'_>) -> String {
    if cfg.vars.is_empty() {
        return String::new();
    }
    let mut out = String::from("# The env's variables (`venvoy env set`).\n");
    let mut names = String::new();
    for (name, value) in cfg.vars.iter() {
        out.push_str(&format!(
            "if set -q {name}\n    set -g _VENVOY_OLD_VAR_{name} ${name}\nend\nset -gx {name} {}\n",
            quote::fish(value)
        ));
        names.push(' ');
        names.push_str(name);
    }
    out.push_str(&format!("set -g _VENVOY_VAR_NAMES{names}\n"));
    out
}
