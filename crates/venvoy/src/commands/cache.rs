//! `venvoy cache dir|clean|update`: where the cache lives, emptying it, filling it with seed wheels.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::CacheCommand;
use crate::printer::Printer;
use crate::settings::Settings;

pub fn run(cmd: CacheCommand, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    match cmd {
        CacheCommand::Dir => printer.data(settings.cache_dir.display()),
        CacheCommand::Update { packages } => return super::seed::update(&packages, settings, printer),
        CacheCommand::Clean => {
            let dir = &settings.cache_dir;
            if dir.exists() {
                fs_err::remove_dir_all(dir)
                    .with_context(|| format!("could not empty the cache at `{}`", dir.display()))?;
                printer.message(format_args!("Removed the cache at `{}`", dir.display()));
            } else {
                printer.message(format_args!("The cache at `{}` is already empty", dir.display()));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
