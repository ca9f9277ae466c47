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
    Ok(fill_standard(TEMPLATE, cfg, &set_env_dir, quote::powershell))
}

fn refusal(r: &Refusal) -> Vec<u8> {
    format!(
        "# Written by venvoy: this environment cannot be activated from PowerShell.\n\
         throw {}\n",
        quote::powershell(&r.message())
    )
    .into_bytes()
}
