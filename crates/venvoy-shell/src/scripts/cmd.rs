//! The cmd.exe `activate.bat` and `deactivate.bat` scripts.
//!
//! Rendered with LF line ends; [`super::render_all`] turns them into CRLF.
//! cmd refuses values holding `"` or a line break (see [`quote::cmd`]).

use super::{Refusal, env_dir_str};
use crate::ActivationConfig;
use crate::quote;
use crate::template::fill;

const ACTIVATE: &str = include_str!("../templates/activate.bat");
const DEACTIVATE: &str = include_str!("../templates/deactivate.bat");

pub(crate) fn render_activate(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    try_render(cfg).unwrap_or_else(|r| refusal(&r))
}

pub(crate) fn render_deactivate() -> Vec<u8> {
    DEACTIVATE.as_bytes().to_vec()
}

fn quote_value(s: &str, delayed: bool) -> Result<String, quote::Unrepresentable> {
    if delayed { quote::cmd_delayed(s) } else { quote::cmd(s) }
}

fn set_env_dir(cfg: &ActivationConfig<'_>, delayed: bool) -> Result<String, Refusal> {
    Ok(if cfg.relocatable {
        // `%~dp0` is this file's directory; its parent is the env.
        let cd = if delayed { "!CD!" } else { "%CD%" };
        format!("pushd \"%~dp0..\"\nset \"VIRTUAL_ENV={cd}\"\npopd")
    } else {
        let dir = env_dir_str(cfg, "cmd")?;
        format!("set \"VIRTUAL_ENV={}\"", quote_value(dir, delayed)?)
    })
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    let values = [
        ("SET_ENV_DIR_PLAIN", set_env_dir(cfg, false)?),
        ("SET_ENV_DIR_DELAYED", set_env_dir(cfg, true)?),
        ("PROMPT_PLAIN", quote::cmd(cfg.prompt)?),
        ("PROMPT_DELAYED", quote::cmd_delayed(cfg.prompt)?),
        ("PROMPT_TEXT_PLAIN", quote::cmd_prompt(cfg.prompt, false)?),
        ("PROMPT_TEXT_DELAYED", quote::cmd_prompt(cfg.prompt, true)?),
        ("BIN_NAME_PLAIN", quote::cmd(cfg.bin_dir_name)?),
        ("BIN_NAME_DELAYED", quote::cmd_delayed(cfg.bin_dir_name)?),
        ("SET_VARS_PLAIN", set_vars(cfg, false)?),
        ("SET_VARS_DELAYED", set_vars(cfg, true)?),
    ];
    Ok(fill(ACTIVATE, |name| values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_bytes())))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    // The message is our own text: keep it free of cmd's special characters.
    let message: String = r
        .message()
        .chars()
        .map(|c| match c {
            '%' | '!' | '^' | '&' | '|' | '<' | '>' | '(' | ')' | '"' | '`' => ' ',
            c => c,
        })
        .collect();
    format!(
        "@echo off\n\
         rem Written by venvoy: this environment cannot be activated from cmd.\n\
         echo {message} 1>&2\n\
         exit /b 1\n"
    )
    .into_bytes()
}

/// Save each variable (whether it was defined, and its value), set it, and
/// record the names for `deactivate.bat`. A value cmd cannot hold (a `"`
/// or a line break) makes this script refuse, naming the variable.
fn set_vars(cfg: &ActivationConfig<'_>, delayed: bool) -> Result<String, Refusal> {
    if cfg.vars.is_empty() {
        return Ok(String::new());
    }
    let mut out = String::new();
    for (name, value) in cfg.vars.iter() {
        let value = quote_value(value, delayed).map_err(|u| Refusal {
            shell: "cmd",
            reason: format!("the value of `{name}` {}", u.reason.strip_prefix("it ").unwrap_or(u.reason)),
        })?;
        let old = if delayed { format!("!{name}!") } else { format!("%{name}%") };
        out.push_str(&format!(
            "if defined {name} (set \"_VENVOY_HAD_VAR_{name}=1\") else (set \"_VENVOY_HAD_VAR_{name}=\")\n\
             set \"_VENVOY_OLD_VAR_{name}={old}\"\n\
             set \"{name}={value}\"\n"
        ));
    }
    let names: Vec<&str> = cfg.vars.names().collect();
    out.push_str(&format!("set \"_VENVOY_VAR_NAMES={}\"\n", names.join(" ")));
    Ok(out)
}
