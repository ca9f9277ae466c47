//! One file per command; each takes parsed arguments and settings and returns an exit code.

mod cache;
mod completions;
mod create;
mod python;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::printer::Printer;
use crate::settings::Settings;

pub fn run(cli: Cli, printer: &Printer) -> Result<ExitCode> {
    match cli.command {
        Command::Completions { shell } => completions::run(shell),
        command => {
            let settings = Settings::from_env(cli.global.no_cache)?;
            match command {
                Command::Python(cmd) => python::run(cmd, &settings, printer),
                Command::Create(args) => create::run(args, &settings, printer),
                Command::Cache(cmd) => cache::run(cmd, &settings, printer),
                Command::Completions { .. } => unreachable!("handled above"),
            }
        }
    }
}
