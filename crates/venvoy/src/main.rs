//! The `venvoy` binary: parse the command line, run one command, report.
//! Only this crate prints, reads the environment, or exits.

mod build_info;
mod cli;
mod commands;
mod env_file;
mod json;
mod logging;
mod printer;
mod progress;
mod report;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, ColorChoice};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // `--version` stops parsing where it stands; with `-v` anywhere
        // before a `--`, say how the binary was built too.
        Err(err)
            if err.kind() == clap::error::ErrorKind::DisplayVersion && verbose_flag(std::env::args_os()) =>
        {
            printer::Printer::new(false).data(build_info::BuildInfo::CURRENT);
            return ExitCode::SUCCESS;
        }
        Err(err) => err.exit(),
    };
    let color = match cli.global.color {
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
        ColorChoice::Auto => anstream::ColorChoice::Auto,
    };
    color.write_global();
    let stderr_color = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    logging::init(cli.global.verbose, cli.global.quiet, stderr_color);
    let printer = printer::Printer::new(cli.global.quiet);

    let lookup = cli.command.looks_up();
    match commands::run(cli, &printer) {
        Ok(code) => {
            printer.flush();
            code
        }
        Err(err) => {
            let (code, text) = report::render(&err, lookup);
            printer.error(&text);
            code
        }
    }
}

/// Whether the command line holds `-v`/`--verbose` (alone or in a group of
/// short flags such as `-Vv`) before any `--`.
fn verbose_flag(args: impl Iterator<Item = std::ffi::OsString>) -> bool {
    args.skip(1).map(|a| a.to_string_lossy().into_owned()).take_while(|a| a != "--").any(|a| {
        a == "--verbose"
            || (a.starts_with('-')
                && !a.starts_with("--")
                && a[1..].chars().all(|c| c.is_ascii_alphabetic())
                && a.contains('v'))
    })
}
