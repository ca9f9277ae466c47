//! `activate_this.py`, for activating an env inside a running Python.

use super::{Refusal, env_dir_str, fill_standard};
use crate::ActivationConfig;
use crate::quote;

const TEMPLATE: &str = include_str!("../templates/activate_this.py");

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    try_render(cfg).unwrap_or_else(|r| refusal(&r))
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    let set_env_dir = if cfg.relocatable {
        "env_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))".to_owned()
    } else {
        // Python string literals use the same rules as xonsh's Python mode.
        format!("env_dir = {}", quote::xonsh(env_dir_str(cfg, "Python")?))
    };
    let set_vars: String = cfg
        .vars
        .iter()
        .map(|(name, value)| format!("os.environ[{}] = {}\n", quote::xonsh(name), quote::xonsh(value)))
        .collect();
    Ok(fill_standard(TEMPLATE, cfg, &set_env_dir, &set_vars, quote::xonsh))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "\"\"\"Written by venvoy: this environment cannot be activated from Python.\"\"\"\n\
         raise RuntimeError({})\n",
        quote::xonsh(&r.message())
    )
    .into_bytes()
}
