//! The csh/tcsh `activate.csh` script.
//!
//! Every value is written with [`quote::csh_word`] and read as `$name:q`, so
//! paths and prompts with line breaks work. Relocatable envs are refused: a
//! sourced csh script cannot find out where it is.

use super::{Refusal, env_dir_str};
use crate::ActivationConfig;
use crate::quote;
use crate::template::fill;

const TEMPLATE: &str = include_str!("../templates/activate.csh");

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    try_render(cfg).unwrap_or_else(|r| refusal(&r))
}

/// The prompt text as tcsh displays it literally: `%` starts a prompt code.
/// (A `!` always shows tcsh's history number; it has no escape there.)
fn tcsh_prompt_text(prompt: &str) -> String {
    prompt.replace('%', "%%")
}

/// The prompt text as BSD csh displays it literally: `\!` is a plain `!`.
fn csh_prompt_text(prompt: &str) -> String {
    prompt.replace('!', "\\!")
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    if cfg.relocatable {
        return Err(Refusal {
            shell: "csh",
            reason: "it is relocatable, and csh cannot tell a sourced script where it is".to_owned(),
        });
    }
    let env_dir = format!("setenv VIRTUAL_ENV {}", quote::csh_word(env_dir_str(cfg, "csh")?));
    let bin = quote::csh_word(cfg.bin_dir_name);
    let prompt = quote::csh_word(cfg.prompt);
    let prompt_tcsh = quote::csh_word(&tcsh_prompt_text(cfg.prompt));
    let prompt_csh = quote::csh_word(&csh_prompt_text(cfg.prompt));
    let set_vars = set_vars(cfg);
    Ok(fill(TEMPLATE, |name| match name {
        "SET_ENV_DIR" => Some(env_dir.as_bytes()),
        "BIN_NAME" => Some(bin.as_bytes()),
        "PROMPT" => Some(prompt.as_bytes()),
        "PROMPT_TCSH" => Some(prompt_tcsh.as_bytes()),
        "PROMPT_CSH" => Some(prompt_csh.as_bytes()),
        "SET_VARS" => Some(set_vars.as_bytes()),
        _ => None,
    }))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    let message = quote::csh_word(&r.message());
    format!(
        "# Written by venvoy: this environment cannot be activated from csh.\n\
         echo {message} > /dev/stderr\n"
    )
    .into_bytes()
}

/// Save each variable's old value, set it, and leave `deactivate` the
/// commands that put the old values back (names only, never a value).
fn set_vars(cfg: &ActivationConfig<'_>) -> String {
    if cfg.vars.is_empty() {
        return String::new();
    }
    let mut out = String::from("# The env's variables (`venvoy env set`).\n");
    let mut restore = Vec::new();
    for (name, value) in cfg.vars.iter() {
        out.push_str(&format!(
            "if ($?{name}) then\n    set _VENVOY_OLD_VAR_{name} = ${name}:q\nendif\nsetenv {name} {}\n",
            quote::csh_word(value)
        ));
        restore.push(format!(
            "if ($?_VENVOY_OLD_VAR_{name}) eval 'setenv {name} $_VENVOY_OLD_VAR_{name}:q'; \
             if ($?_VENVOY_OLD_VAR_{name} == 0) unsetenv {name}; unset _VENVOY_OLD_VAR_{name}"
        ));
    }
    out.push_str(&format!("set _VENVOY_VAR_RESTORE = {}\n", quote::csh_word(&restore.join("; "))));
    out
}
