//! The xonsh `activate.xsh` script.

use super::{Refusal, env_dir_str};
use crate::ActivationConfig;
use crate::quote;
use crate::template::fill;

const TEMPLATE: &str = include_str!("../templates/activate.xsh");

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    try_render(cfg).unwrap_or_else(|r| refusal(&r))
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    let env_dir = if cfg.relocatable {
        // `source` sets __file__ to the script's path.
        "__import__('os').path.dirname(__import__('os').path.dirname(__import__('os').path.abspath(__file__)))".to_owned()
    } else {
        quote::xonsh(env_dir_str(cfg, "xonsh")?)
    };
    let bin = quote::xonsh(cfg.bin_dir_name);
    let prompt = quote::xonsh(cfg.prompt);
    let fields: Vec<String> = cfg
        .vars
        .iter()
        .map(|(name, value)| format!("{}: {}", quote::xonsh(name), quote::xonsh(value)))
        .collect();
    let vars = format!("{{{}}}", fields.join(", "));
    Ok(fill(TEMPLATE, |name| match name {
        "ENV_DIR" => Some(env_dir.as_bytes()),
        "BIN_NAME" => Some(bin.as_bytes()),
        "PROMPT" => Some(prompt.as_bytes()),
        "SET_VARS" => Some(vars.as_bytes()),
        _ => None,
    }))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "# Written by venvoy: this environment cannot be activated from xonsh.\n\
         print({}, file=__import__('sys').stderr)\n",
        quote::xonsh(&r.message())
    )
    .into_bytes()
}
