//! `venvoy scan`: every venv on the machine, whichever tool made it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::report::Result;
use serde::Serialize;
use venvoy_inspect::size::human;
use venvoy_scan::homes::{known_homes, pyenv_virtualenv_homes};
use venvoy_scan::{EnvFacts, Scan, ScanOptions};

use crate::cli::ScanArgs;
use crate::json::PathProblem;
use crate::printer::Printer;
use crate::progress::Bar;
use crate::settings::Settings;

/// One env in `scan --json`.
#[derive(Serialize)]
struct JsonEnv<'a> {
    path: &'a Path,
    tool: &'static str,
    creator: Option<&'a str>,
    creator_version: Option<&'a str>,
    python_version: Option<&'a str>,
    implementation: Option<String>,
    project: Option<&'a Path>,
    project_source: Option<&'static str>,
    project_exists: Option<bool>,
    health: &'static str,
    problem: Option<&'a str>,
    base: Option<&'a Path>,
    size: u64,
    unique_size: u64,
    last_used: Option<u64>,
}

impl<'a> From<&'a EnvFacts> for JsonEnv<'a> {
    fn from(e: &'a EnvFacts) -> Self {
        Self {
            path: &e.path,
            tool: e.tool.name(),
            creator: e.creator,
            creator_version: e.creator_version.as_deref(),
            python_version: e.python_version.as_deref(),
            implementation: crate::json::implementation(e.implementation.as_deref()),
            project: e.project.as_deref(),
            project_source: e.project_source.map(venvoy_scan::ProjectSource::word),
            project_exists: e.project_exists,
            health: e.health.word(),
            problem: e.problem.as_deref(),
            base: e.base.as_deref(),
            size: e.size,
            unique_size: e.unique_size,
            last_used: e.last_used,
        }
    }
}

#[derive(Serialize)]
struct JsonScan<'a> {
    envs: Vec<JsonEnv<'a>>,
    skipped: Vec<PathProblem<'a>>,
    dirs_visited: u64,
    total_size: u64,
}

pub fn run(args: &ScanArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let scan = scan(&args.dirs, args.cross_file_systems, settings, printer);
    if args.json {
        printer.json(&JsonScan {
            envs: scan.envs.iter().map(JsonEnv::from).collect(),
            skipped: scan.skipped.iter().map(|s| PathProblem { path: &s.path, reason: &s.reason }).collect(),
            dirs_visited: scan.dirs,
            total_size: scan.total_bytes,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    let now = now_secs();
    for env in &scan.envs {
        printer.data(line(env, now));
    }
    let n = scan.envs.len();
    printer.message(format_args!(
        "{n} env{} in {} directories, {} on disk (files shared between envs counted once)",
        if n == 1 { "" } else { "s" },
        scan.dirs,
        human(scan.total_bytes)
    ));
    report_skipped(&scan, printer);
    Ok(if n == 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn line(env: &EnvFacts, now: u64) -> String {
    let mut out = format!("{}  {}", env.path.display(), env.tool.name());
    if let Some(creator) = env.creator
        && creator != env.tool.name()
    {
        out.push_str(&format!(" ({creator})"));
    }
    if let Some(v) = &env.python_version {
        out.push_str(&format!("  {v}"));
    }
    out.push_str(&format!("  {}", env.health.word()));
    if env.unique_size == env.size {
        out.push_str(&format!("  {}", human(env.size)));
    } else {
        out.push_str(&format!("  {} ({} its own)", human(env.size), human(env.unique_size)));
    }
    if let Some(used) = env.last_used {
        out.push_str(&format!("  used {}", ago(now.saturating_sub(used))));
    }
    match (&env.project, env.project_exists) {
        (Some(p), Some(false)) => out.push_str(&format!("  project {} (gone)", p.display())),
        (Some(p), _) => out.push_str(&format!("  project {}", p.display())),
        _ => {}
    }
    out
}

/// `3 days ago`, `5 hours ago`, `today`.
pub(super) fn ago(secs: u64) -> String {
    let days = secs / 86_400;
    match days {
        0 if secs < 3_600 => "within the hour".into(),
        0 => format!("{} hours ago", secs / 3_600),
        1 => "yesterday".into(),
        d if d < 60 => format!("{d} days ago"),
        d if d < 730 => format!("{} months ago", d / 30),
        d => format!("{} years ago", d / 365),
    }
}

pub(super) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// What could not be looked at: counted always, listed with `-v`.
pub(super) fn report_skipped(scan: &Scan, printer: &Printer) {
    if scan.skipped.is_empty() {
        return;
    }
    for s in &scan.skipped {
        tracing::info!("skipped `{}`: {}", s.path.display(), s.reason);
    }
    let n = scan.skipped.len();
    let first = &scan.skipped[0];
    printer.message(format_args!(
        "skipped {n} path{} it could not read (`{}`: {}{}); `-v` lists them",
        if n == 1 { "" } else { "s" },
        first.path.display(),
        first.reason,
        if n > 1 { ", …" } else { "" }
    ));
}

/// Scan `dirs` (default: every tool's env directory, the registry and the
/// home directory), with a progress line on a terminal after half a second.
pub(super) fn scan(
    dirs: &[PathBuf],
    cross_file_systems: bool,
    settings: &Settings,
    printer: &Printer,
) -> Scan {
    let opts = options(dirs, cross_file_systems, settings);
    let progress = Progress::new(printer);
    let scan = venvoy_scan::scan(&opts, &|n| progress.tick(n));
    progress.finish();
    scan
}

/// What a scan of `dirs` walks (default: every tool's env directory, the
/// registry and the home directory).
fn options(dirs: &[PathBuf], cross_file_systems: bool, settings: &Settings) -> ScanOptions {
    let vars = &settings.home_vars;
    let mut homes = known_homes(vars);
    if let Some(root) = &vars.pyenv_root {
        homes.extend(pyenv_virtualenv_homes(root));
    }
    let default_scan = dirs.is_empty();
    let roots: Vec<PathBuf> = if default_scan {
        vars.home.iter().cloned().collect()
    } else {
        dirs.iter()
            .map(|d| venvoy_fs::path::absolute(d, &settings.search.cwd, vars.home.as_deref()))
            .collect()
    };
    let registry = if default_scan {
        settings.registry().load().into_iter().map(|e| (e.path, e.project)).collect()
    } else {
        Vec::new()
    };
    // Named DIRs limit the walk: only the homes under them are kept, so an
    // env found in one is still named after its tool.
    if !default_scan {
        homes.retain(|h| roots.iter().any(|r| h.path.starts_with(r)));
    }
    ScanOptions {
        roots,
        homes,
        registry,
        env_home: Some(settings.env_home.clone()),
        home: vars.home.clone(),
        cross_file_systems,
        threads: 0,
    }
}

/// The venvs a default [`scan`] finds, paths only (no facts, no disk use).
pub(super) fn venv_paths(settings: &Settings, printer: &Printer) -> Vec<PathBuf> {
    let progress = Progress::new(printer);
    let paths = venvoy_scan::venv_paths(&options(&[], false, settings), &|n| progress.tick(n));
    progress.finish();
    paths
}

/// The walk's spinner (after half a second, on a terminal).
struct Progress(Bar);

impl Progress {
    fn new(printer: &Printer) -> Self {
        Self(Bar::new(printer, Duration::from_millis(500)))
    }

    fn tick(&self, dirs: u64) {
        self.0.update("{spinner} scanning: {msg} directories", None, |bar| bar.set_message(dirs.to_string()));
    }

    fn finish(&self) {
        self.0.finish();
    }
}
