//! `venvoy completions SHELL`: a completion script generated from the clap definition.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::report::Result;

pub fn run(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "venvoy", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
