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
    Ok(fill_standard(TEMPLATE, cfg, &set_env_dir, quote::fish))
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
