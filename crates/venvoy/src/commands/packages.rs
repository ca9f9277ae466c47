//! `venvoy packages`: installed distributions, read from metadata (no Python).

use std::process::ExitCode;

use serde::Serialize;
use venvoy_inspect::{Venv, packages};

use crate::cli::PackagesArgs;
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    version: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    editable_project_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    installer: Option<&'a str>,
    requested: bool,
    location: String,
}

pub fn run(args: PackagesArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let env = settings.env_context().resolve(args.env.get())?;
    let venv = Venv::open(&env.root);
    let detail = if args.json { packages::Detail::Full } else { packages::Detail::Core };
    let listing = packages::list(&mut packages::search_path(&venv, settings.search.home.as_deref()), detail);
    for problem in &listing.problems {
        printer.warn(format_args!("skipped: {problem}"));
    }
    if args.freeze {
        let version = venv.version().map(|(a, b, _)| (a, b));
        for line in listing.freeze(args.all, version) {
            printer.data(line);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let sorted = listing.sorted();
    if args.json {
        let rows: Vec<Row<'_>> = sorted
            .iter()
            .map(|p| Row {
                name: &p.name,
                version: &p.version,
                editable_project_location: p
                    .editable_project_location
                    .as_ref()
                    .map(|l| l.display().to_string()),
                summary: p.summary.as_deref(),
                installer: p.installer.as_deref(),
                requested: p.requested,
                location: p.location.display().to_string(),
            })
            .collect();
        printer.json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if sorted.is_empty() {
        printer.message(format_args!("no distributions installed in `{}`", venv.root.display()));
        return Ok(ExitCode::SUCCESS);
    }
    let name_width = sorted.iter().map(|p| p.name.chars().count()).max().unwrap_or(0).max(7);
    let version_width = sorted.iter().map(|p| p.version.chars().count()).max().unwrap_or(0).max(7);
    printer.data(format_args!("{:<name_width$}  {:<version_width$}  Summary", "Package", "Version"));
    for p in sorted {
        let summary = p.summary.as_deref().and_then(|s| s.lines().next()).unwrap_or_default();
        let row = |extra: &str| {
            printer.data(format_args!("{:<name_width$}  {:<version_width$}  {extra}", p.name, p.version));
        };
        match &p.editable_project_location {
            Some(location) => row(format!("[editable: {}] {summary}", location.display()).trim_end()),
            None => row(summary.trim_end()),
        }
    }
    Ok(ExitCode::SUCCESS)
}
