//! The nushell `activate.nu` script (an overlay module).

use super::{Refusal, env_dir_str, fill_standard};
use crate::ActivationConfig;
use crate::quote;

const TEMPLATE: &str = include_str!("../templates/activate.nu");

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    try_render(cfg).unwrap_or_else(|r| refusal(&r))
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    let set_env_dir = if cfg.relocatable {
        // `path self` is evaluated when the module is parsed.
        "const venv_dir = (path self | path dirname | path dirname)".to_owned()
    } else {
        format!("let venv_dir = {}", quote::nu(env_dir_str(cfg, "nushell")?))
    };
    let fields: Vec<String> =
        cfg.vars.iter().map(|(name, value)| format!("{name}: {}", quote::nu(value))).collect();
    let vars = format!("{{{}}}", fields.join(", "));
    Ok(fill_standard(TEMPLATE, cfg, &set_env_dir, &vars, quote::nu))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "# Written by venvoy: this environment cannot be activated from nushell.\n\
         export-env {{\n    error make --unspanned {{ msg: {} }}\n}}\n",
        quote::nu(&r.message())
    )
    .into_bytes()
}
