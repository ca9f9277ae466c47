//! The POSIX `activate` script (bash, zsh, dash, ksh93, mksh, busybox sh).
//!
//! POSIX shells read scripts as bytes, so every path can be written,
//! non-UTF-8 ones included. Relocatable scripts locate themselves in bash,
//! zsh and ksh93; in dash, mksh and busybox sh they refuse, since those
//! shells cannot tell a sourced file where it is.

use crate::ActivationConfig;
use crate::quote;
use crate::template::fill;

const TEMPLATE: &str = include_str!("../templates/activate.sh");
const RELOCATE: &str = include_str!("../templates/relocate.sh");

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    let set_env_dir = if cfg.relocatable {
        RELOCATE.trim_end().as_bytes().to_vec()
    } else {
        let mut line = b"VIRTUAL_ENV=".to_vec();
        line.extend(quote::posix_bytes(&super::env_dir_bytes(cfg)));
        line
    };
    let bin = quote::posix(cfg.bin_dir_name);
    let prompt = quote::posix(cfg.prompt);
    let set_vars = set_vars(cfg);
    fill(TEMPLATE, |name| match name {
        "SET_ENV_DIR" => Some(&set_env_dir),
        "BIN_NAME" => Some(bin.as_bytes()),
        "PROMPT" => Some(prompt.as_bytes()),
        "SET_VARS" => Some(set_vars.as_bytes()),
        _ => None,
    })
}

/// Save each variable's old value (if it has one), set and export it, and
/// record the names for `deactivate`. Names are checked identifiers
/// ([`crate::vars::check_name`]); values are single-quoted.
fn set_vars(cfg: &ActivationConfig<'_>) -> String {
    if cfg.vars.is_empty() {
        return String::new();
    }
    let mut out = String::from("# The env's variables (`venvoy env set`).\n");
    for (name, value) in cfg.vars.iter() {
        out.push_str(&format!(
            "if [ -n \"${{{name}+x}}\" ]; then _VENVOY_OLD_VAR_{name}=${name}; fi\n{name}={}\nexport {name}\n",
            quote::posix(value)
        ));
    }
    let names: Vec<&str> = cfg.vars.names().collect();
    out.push_str(&format!("_VENVOY_VAR_NAMES={}\n", quote::posix(&names.join(" "))));
    out
}
