//! The `venvoy` binary: parse the command line, run one command, report.
//! Only this crate prints, reads the environment, or exits.

mod cli;
mod commands;
mod logging;
mod printer;
mod report;
mod settings;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, ColorChoice};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = match cli.global.color {
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
        ColorChoice::Auto => anstream::ColorChoice::Auto,
    };
    color.write_global();
    let stderr_color = anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never;
    logging::init(cli.global.verbose, cli.global.quiet, stderr_color);
    let printer = printer::Printer::new(cli.global.quiet);

    match commands::run(cli, &printer) {
        Ok(code) => {
            printer.flush();
            code
        }
        Err(err) => {
            let (code, text) = report::render(&err);
            printer.error(&text);
            code
        }
    }
}
