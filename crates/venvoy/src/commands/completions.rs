//! `venvoy completions SHELL`: a completion script generated from the clap definition.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, ShellName};
use crate::printer::Printer;
use crate::report::{Result, UserError};

pub fn run(shell: ShellName, printer: &Printer) -> Result<ExitCode> {
    let mut cmd = Cli::command();
    // Generated into memory and written by the printer, so a closed pipe
    // (`| head`) ends the output quietly.
    let mut text: Vec<u8> = Vec::new();
    let out = &mut text;
    match shell {
        ShellName::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, "venvoy", out),
        ShellName::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, "venvoy", out),
        ShellName::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, "venvoy", out),
        ShellName::Pwsh => clap_complete::generate(clap_complete::Shell::PowerShell, &mut cmd, "venvoy", out),
        ShellName::Nu => clap_complete::generate(clap_complete_nushell::Nushell, &mut cmd, "venvoy", out),
        ShellName::Elvish => clap_complete::generate(clap_complete::Shell::Elvish, &mut cmd, "venvoy", out),
        other => {
            let name = other.shell().map_or("this shell", |s| s.name());
            return Err(UserError::new(format!("no completion script for {name}"))
                .hint("completions exist for bash, zsh, fish, nu, pwsh and elvish; `venvoy init` also completes env names")
                .into());
        }
    }
    printer.raw(String::from_utf8_lossy(&text).as_ref().as_ref());
    Ok(ExitCode::SUCCESS)
}
