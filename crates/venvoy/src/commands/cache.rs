//! `venvoy cache dir|clean|update`: where the cache lives, emptying it, filling it with seed wheels.

use std::process::ExitCode;

use crate::cli::CacheCommand;
use crate::printer::Printer;
use crate::report::{Context as _, Result};
use crate::settings::Settings;

pub fn run(cmd: CacheCommand, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    match cmd {
        CacheCommand::Dir => printer.data(settings.cache_dir.display()),
        CacheCommand::Update { packages } => return super::seed::update(&packages, settings, printer),
        CacheCommand::Clean => {
            let dir = &settings.cache_dir;
            if !dir.exists() {
                printer.message(format_args!("The cache at `{}` is already empty", dir.display()));
                return Ok(ExitCode::SUCCESS);
            }
            venvoy_fs::atomic::clean_stale_siblings(dir);
            // The one deletion gate: only a directory venvoy made, or one that
            // holds nothing but what venvoy puts in its cache.
            venvoy_fs::gate::check_own(dir, is_cache_entry)?;
            let aside = venvoy_fs::atomic::aside_path(dir);
            std::fs::rename(dir, &aside)
                .with_context(|| format!("could not empty the cache at `{}`", dir.display()))?;
            std::fs::remove_dir_all(&aside)
                .with_context(|| format!("could not empty the cache at `{}`", dir.display()))?;
            printer.message(format_args!("Removed the cache at `{}`", dir.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether a top-level name in the cache directory is one venvoy puts there.
fn is_cache_entry(name: &str) -> bool {
    name.starts_with("interpreters-v") || matches!(name, "wheels" | "wheel-images" | "CACHEDIR.TAG")
}
