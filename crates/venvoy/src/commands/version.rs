//! `venvoy version [--json]`: the version and build facts (also `venvoy --version -v`).

use std::process::ExitCode;

use crate::build_info::BuildInfo;
use crate::cli::VersionArgs;
use crate::printer::Printer;
use crate::report::Result;

pub fn run(args: &VersionArgs, printer: &Printer) -> Result<ExitCode> {
    if args.json {
        printer.json(&BuildInfo::CURRENT)?;
    } else {
        printer.data(BuildInfo::CURRENT);
    }
    Ok(ExitCode::SUCCESS)
}
