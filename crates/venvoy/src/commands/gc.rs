//! `venvoy gc`: remove orphaned envs, showing why and how much each frees.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::report::Result;
use serde::Serialize;
use venvoy_fs::Hint as _;
use venvoy_inspect::size::human;
use venvoy_scan::gc::{Kept, Orphan, OrphanReason, Policy, orphans};

use crate::cli::GcArgs;
use crate::json::PathProblem;
use crate::printer::Printer;
use crate::settings::Settings;

/// `gc --json`.
#[derive(Serialize)]
struct JsonGc<'a> {
    orphans: Vec<JsonOrphan<'a>>,
    kept: Vec<PathProblem<'a>>,
    removed: Vec<&'a Path>,
    failed: Vec<JsonFailure>,
    bytes: u64,
}

/// An env `gc` removes (or would, without `--yes`).
#[derive(Serialize)]
struct JsonOrphan<'a> {
    path: &'a Path,
    tool: &'static str,
    reasons: Vec<JsonReason<'a>>,
    /// What removing it frees.
    bytes: u64,
}

/// Why an env is an orphan.
#[derive(Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
enum JsonReason<'a> {
    ProjectGone { project: &'a Path },
    PythonGone { base: Option<&'a Path>, python_version: Option<&'a str> },
    Unused { days: u64 },
}

impl<'a> From<&'a Orphan> for JsonOrphan<'a> {
    fn from(o: &'a Orphan) -> Self {
        let reasons = o
            .reasons
            .iter()
            .map(|r| match r {
                OrphanReason::ProjectGone { project } => JsonReason::ProjectGone { project },
                OrphanReason::PythonGone { base, python_version } => JsonReason::PythonGone {
                    base: base.as_deref(),
                    python_version: python_version.as_deref(),
                },
                OrphanReason::Unused { days } => JsonReason::Unused { days: *days },
            })
            .collect();
        Self { path: &o.path, tool: o.tool.name(), reasons, bytes: o.bytes }
    }
}

#[derive(Serialize)]
struct JsonFailure {
    path: PathBuf,
    error: String,
}

pub fn run(args: &GcArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let scan = super::scan::scan(&args.dirs, args.cross_file_systems, settings, printer);
    let installed = settings
        .discoverer()
        .discover()
        .interpreters
        .iter()
        .filter(|i| !i.is_venv())
        .map(|i| (i.implementation().key().to_string(), i.major(), i.minor()))
        .collect();
    let policy = Policy {
        installed,
        older_than: args.older_than,
        now: super::scan::now_secs(),
        active: settings.virtual_env.clone(),
    };
    let (orphans, kept) = orphans(&scan, &policy);
    let bytes: u64 = orphans.iter().map(|o| o.bytes).sum();

    if !args.json {
        show(&orphans, &kept, bytes, printer);
        super::scan::report_skipped(&scan, printer);
    }
    let go = !orphans.is_empty() && (args.yes || (!args.json && confirm(printer, orphans.len(), bytes)?));
    let mut removed = Vec::new();
    let mut failed = Vec::new();
    if go {
        for orphan in &orphans {
            match venvoy_scan::gc::remove(&orphan.path) {
                Ok(()) => {
                    if !args.json {
                        printer.message(format_args!(
                            "Removed `{}` ({})",
                            orphan.path.display(),
                            human(orphan.bytes)
                        ));
                    }
                    removed.push(orphan.path.as_path());
                }
                Err(err) => {
                    if !args.json {
                        let hint = err.hint().map(|h| format!("; {h}")).unwrap_or_default();
                        printer.message(format_args!("not removed: {err}{hint}"));
                    }
                    failed.push(JsonFailure { path: orphan.path.clone(), error: err.to_string() });
                }
            }
        }
    } else if !orphans.is_empty() && !args.json {
        printer.message("Nothing removed: run `venvoy gc --yes` to remove them");
    }
    let code = if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
    if args.json {
        printer.json(&JsonGc {
            orphans: orphans.iter().map(JsonOrphan::from).collect(),
            kept: kept.iter().map(|k| PathProblem { path: &k.path, reason: &k.why }).collect(),
            removed,
            failed,
            bytes,
        })?;
    }
    Ok(code)
}

fn show(orphans: &[Orphan], kept: &[Kept], bytes: u64, printer: &Printer) {
    if orphans.is_empty() {
        printer.message("No orphaned envs");
    } else {
        let n = orphans.len();
        printer.message(format_args!(
            "{n} orphaned env{}, {} to free:",
            if n == 1 { "" } else { "s" },
            human(bytes)
        ));
        for orphan in orphans {
            let reasons: Vec<String> = orphan.reasons.iter().map(ToString::to_string).collect();
            printer.data(format_args!(
                "{}  {}  {}  {}",
                orphan.path.display(),
                orphan.tool.name(),
                human(orphan.bytes),
                reasons.join("; ")
            ));
        }
        let recreated: Vec<&str> = {
            let mut tools: Vec<&str> =
                orphans.iter().filter(|o| o.tool.recreates_on_use()).map(|o| o.tool.name()).collect();
            tools.sort_unstable();
            tools.dedup();
            tools
        };
        if !recreated.is_empty() {
            let (verb, records) = if recreated.len() == 1 { ("creates", "its") } else { ("create", "their") };
            printer.message(format_args!(
                "note: {} {verb} a project's env again when next used there; {records} own records are left as they are",
                recreated.join(", ")
            ));
        }
    }
    for k in kept {
        printer.message(format_args!("kept `{}`: {}", k.path.display(), k.why));
    }
}

/// Ask before removing (no answer without a terminal: nothing is removed).
fn confirm(printer: &Printer, n: usize, bytes: u64) -> Result<bool> {
    let question = format!("Remove {n} env{} ({})?", if n == 1 { "" } else { "s" }, human(bytes));
    Ok(printer.confirm(&question)?.unwrap_or(false))
}
