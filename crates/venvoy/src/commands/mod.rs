//! One file per command; each takes parsed arguments and settings and returns an exit code.

mod cache;
mod clone;
mod completions;
mod create;
mod first_use;
mod install;
mod python;
mod version;

mod activate;
mod allow;
mod env;
mod hooks;
mod init;
mod list;
mod move_env;
mod relocatable;
mod remove;
mod run;
mod scan;
mod seed;
mod shell;
mod use_env;

mod doctor;
mod gc;
mod info;
mod locate;
mod packages;
mod which;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

pub fn run(cli: Cli, printer: &Printer) -> Result<ExitCode> {
    match cli.command {
        Command::Completions { shell } => completions::run(shell, printer),
        Command::Init(args) => init::run(args, printer),
        Command::Version(args) => version::run(&args, printer),
        command => {
            let settings = Settings::from_env(cli.global.no_cache)?;
            match command {
                Command::Python(cmd) => python::run(cmd, &settings, printer),
                Command::Create(args) => create::run(args, &settings, printer),
                Command::Cache(cmd) => cache::run(cmd, &settings, printer),
                Command::Seed(args) => seed::run(args, &settings, printer),
                Command::List(args) => list::run(args, &settings, printer),
                Command::Remove(args) => remove::run(args, &settings, printer),
                Command::Scan(args) => scan::run(&args, &settings, printer),
                Command::Gc(args) => gc::run(&args, &settings, printer),
                Command::Clone(args) => clone::run(args, &settings, printer),
                Command::Move(args) => move_env::run(args, &settings, printer),
                Command::Relocatable(args) => relocatable::run(args, &settings, printer),
                Command::Run(args) => run::run(args, &settings, printer),
                Command::Shell(args) => shell::run(args, &settings, printer),
                Command::Activate(args) => activate::activate(args, &settings),
                Command::Deactivate => activate::deactivate(&settings),
                Command::Use(args) => use_env::run(args, &settings, printer),
                Command::Allow(args) => allow::allow(args, &settings, printer),
                Command::Deny(args) => allow::deny(args, &settings, printer),
                Command::ActivateScript(args) => activate::activate_script(args, &settings, printer),
                Command::Env(cmd) => env::run(cmd, &settings, printer),
                Command::Hooks(args) => hooks::run(&args, &settings, printer),
                Command::Info(args) => info::run(args, &settings, printer),
                Command::Packages(args) => packages::run(args, &settings, printer),
                Command::Which(args) => which::run(args, &settings, printer),
                Command::Locate(args) => locate::run(args, &settings, printer),
                Command::Doctor(args) => doctor::run(args, &settings, printer),
                Command::Completions { .. } | Command::Init(_) | Command::Version(_) => {
                    unreachable!("handled above")
                }
            }
        }
    }
}
