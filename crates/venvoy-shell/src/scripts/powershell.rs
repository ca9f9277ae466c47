//! The PowerShell `Activate.ps1` script.

use super::{Refusal, env_dir_str, fill_standard};
use crate::ActivationConfig;
use crate::quote;

const TEMPLATE: &str = include_str!("../templates/Activate.ps1");

/// Windows PowerShell 5.1 reads a file without a byte order mark in the
/// ANSI code page, which would garble non-ASCII paths.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

pub(crate) fn render(cfg: &ActivationConfig<'_>) -> Vec<u8> {
    let mut out = UTF8_BOM.to_vec();
    out.extend(try_render(cfg).unwrap_or_else(|r| refusal(&r)));
    out
}

fn try_render(cfg: &ActivationConfig<'_>) -> Result<Vec<u8>, Refusal> {
    let set_env_dir = if cfg.relocatable {
        "$VenvoyEnvDir = [IO.Path]::GetDirectoryName($PSScriptRoot)".to_owned()
    } else {
        format!("$VenvoyEnvDir = {}", quote::powershell(env_dir_str(cfg, "PowerShell")?))
    };
    Ok(fill_standard(TEMPLATE, cfg, &set_env_dir, &set_vars(cfg), quote::powershell))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "# Written by venvoy: this environment cannot be activated from PowerShell.\n\
         throw {}\n",
        quote::powershell(&r.message())
    )
    .into_bytes()
}

/// Save each variable's old value (`$null` when it had none) and set it.
fn set_vars(cfg: &ActivationConfig<'_>) -> String {
    if cfg.vars.is_empty() {
        return String::new();
    }
    let mut out = String::from("# The env's variables (`venvoy env set`).\n$global:_VENVOY_OLD_VARS = @{}\n");
    for (name, value) in cfg.vars.iter() {
        let key = quote::powershell(name);
        out.push_str(&format!(
            "$global:_VENVOY_OLD_VARS[{key}] = [Environment]::GetEnvironmentVariable({key})\n\
             Set-Item -LiteralPath {} -Value {}\n",
            quote::powershell(&format!("env:{name}")),
            quote::powershell(value)
        ));
    }
    out
}
