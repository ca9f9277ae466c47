//! `activate_this.py`, for activating an env inside a running Python.

use super::{Refusal, env_dir_str};
use crate::ActivationConfig;
use crate::quote;
use crate::template::fill;

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
    let bin = quote::xonsh(cfg.bin_dir_name);
    let prompt = quote::xonsh(cfg.prompt);
    Ok(fill(TEMPLATE, |name| match name {
        "SET_ENV_DIR" => Some(set_env_dir.as_bytes()),
        "BIN_NAME" => Some(bin.as_bytes()),
        "PROMPT" => Some(prompt.as_bytes()),
        _ => None,
    }))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "\"\"\"Written by venvoy: this environment cannot be activated from Python.\"\"\"\n\
         raise RuntimeError({})\n",
        quote::xonsh(&r.message())
    )
    .into_bytes()
}
