//! `venvoy list`: the envs in the env home and the project envs in the registry.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_python::PyvenvCfg;

use crate::cli::ListArgs;
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

/// One env as `list` shows it.
#[derive(Debug, Serialize)]
pub struct EnvRow {
    /// The name in the env home, if it lives there.
    pub name: Option<String>,
    pub path: PathBuf,
    /// From `pyvenv.cfg`.
    pub python_version: Option<String>,
    pub active: bool,
    /// Whether the directory is still there.
    pub exists: bool,
    /// Whether `bin/python` still reaches an interpreter.
    pub interpreter_exists: bool,
    /// Every project linked to it: by a `.venv` directory, or a `.venv` file
    /// that leads to it.
    pub projects: Vec<PathBuf>,
}

/// Whether `root/bin/python` (or `python.exe`, or under `Scripts`) reaches a
/// file: one `stat` for the usual venv.
fn interpreter_exists(root: &Path) -> bool {
    root.join("bin/python").exists()
        || venvoy_fs::scripts_dir(root)
            .is_some_and(|bin| bin.join("python").exists() || bin.join("python.exe").exists())
}

/// Every env venvoy knows, home envs first (by name), then project envs (by path).
pub fn rows(settings: &Settings) -> Vec<EnvRow> {
    let ctx = settings.env_context();
    let active = settings.virtual_env.as_deref();
    // Resolved once; an env's own path only when the plain paths differ.
    let active_real = active.and_then(|a| std::fs::canonicalize(a).ok());
    let is_active = |path: &Path| {
        active.is_some_and(|a| a == path)
            || active_real.as_ref().is_some_and(|a| std::fs::canonicalize(path).is_ok_and(|p| p == *a))
    };
    let row = |name: Option<String>, path: &Path, projects: Vec<PathBuf>| {
        let cfg = PyvenvCfg::read(path).ok();
        EnvRow {
            name,
            path: path.to_path_buf(),
            python_version: cfg.as_ref().and_then(|c| c.version().map(str::to_string)),
            active: is_active(path),
            // A readable `pyvenv.cfg` says the directory is there.
            exists: cfg.is_some() || path.is_dir(),
            interpreter_exists: interpreter_exists(path),
            projects,
        }
    };
    let places = settings.places();
    let mut entries = settings.registry().load();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out: Vec<EnvRow> = ctx
        .home_envs()
        .into_iter()
        .map(|(name, path)| {
            let projects = entries
                .iter()
                .find(|e| e.path == path)
                .map(|e| venvoy_env::links::projects(e, places))
                .unwrap_or_default();
            row(Some(name), &path, projects)
        })
        .collect();
    for entry in entries {
        // A home env is listed by name; one that is gone is forgotten, not missing.
        if out.iter().any(|r| r.path == entry.path)
            || entry.path.parent() == Some(settings.env_home.as_path())
        {
            continue;
        }
        out.push(row(None, &entry.path, venvoy_env::links::projects(&entry, places)));
    }
    out
}

pub fn run(args: ListArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let rows = rows(settings);
    if args.json {
        printer.json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.names {
        for r in rows.iter().filter_map(|r| r.name.as_ref()) {
            printer.data(r);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        printer.message(format_args!(
            "No envs yet: create one with `venvoy create -n NAME` (in `{}`) or `venvoy create` in a project",
            settings.env_home.display()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let label = |r: &EnvRow| r.name.clone().unwrap_or_else(|| r.path.display().to_string());
    let width = rows.iter().map(|r| label(r).chars().count()).max().unwrap_or(0);
    let vwidth = rows.iter().map(|r| r.python_version.as_deref().unwrap_or("-").len()).max().unwrap_or(1);
    for r in &rows {
        let mark = if r.active { "*" } else { " " };
        let version = r.python_version.as_deref().unwrap_or("-");
        let mut notes = Vec::new();
        if !r.exists {
            notes.push("missing: the directory is gone (`venvoy remove --unlink` forgets it)".to_string());
        } else if !r.interpreter_exists {
            notes.push("broken: its interpreter is gone (see `venvoy doctor`)".to_string());
        }
        if r.name.is_some() {
            notes.push(r.path.display().to_string());
        }
        for p in &r.projects {
            notes.push(format!("project {}", p.display()));
        }
        printer.data(
            format!("{mark} {:<width$}  {version:<vwidth$}  {}", label(r), notes.join("  ")).trim_end(),
        );
    }
    Ok(ExitCode::SUCCESS)
}
