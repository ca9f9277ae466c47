//! `venvoy locate MODULE`: where an import comes from in an env, and what it shadows.

use std::process::ExitCode;

use serde::Serialize;

use venvoy_inspect::{InspectError, Venv, locate};

use crate::cli::LocateArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

/// `locate --json`: what the env's own Python answered.
#[derive(Serialize)]
struct LocatedJson<'a> {
    module: &'a str,
    /// The env's interpreter that was asked, and its `sys.prefix`.
    executable: &'a str,
    prefix: &'a str,
    python_version: &'a str,
    found: Option<FoundJson<'a>>,
    error: Option<&'a str>,
    /// The top-level name is a built-in module: every file copy is shadowed.
    builtin_top: bool,
    copies: Vec<CopyJson<'a>>,
    sys_path: Vec<EntryJson<'a>>,
}

/// The spec `import MODULE` finds.
#[derive(Serialize)]
struct FoundJson<'a> {
    origin: Option<&'a str>,
    location: Option<&'a str>,
    builtin: bool,
    namespace: bool,
}

/// A copy of the top-level module in one `sys.path` entry.
#[derive(Serialize)]
struct CopyJson<'a> {
    index: usize,
    location: Option<&'a str>,
    wins: bool,
}

/// One `sys.path` entry and where it comes from.
#[derive(Serialize)]
struct EntryJson<'a> {
    path: &'a str,
    kind: &'a str,
    pth: Option<&'a str>,
}

impl<'a> From<&'a locate::Located> for LocatedJson<'a> {
    fn from(l: &'a locate::Located) -> Self {
        Self {
            module: &l.module,
            executable: &l.executable,
            prefix: &l.prefix,
            python_version: &l.version,
            found: l.found.as_ref().map(|f| FoundJson {
                origin: f.origin.as_deref(),
                location: f.location.as_deref(),
                builtin: f.builtin,
                namespace: f.namespace,
            }),
            error: l.error.as_deref(),
            builtin_top: l.builtin_top,
            copies: l
                .copies
                .iter()
                .map(|c| CopyJson { index: c.index, location: c.location.as_deref(), wins: c.wins })
                .collect(),
            sys_path: l
                .sys_path
                .iter()
                .map(|e| EntryJson { path: &e.path, kind: &e.kind, pth: e.pth.as_deref() })
                .collect(),
        }
    }
}

pub fn run(args: LocateArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let env = settings.env_context().resolve(args.env.as_deref())?;
    let venv = Venv::open(&env.root);
    let python = venv.python().ok_or_else(|| InspectError::NoPython { root: venv.root.clone() })?;
    let pythonpath = if args.pythonpath { settings.python_path.as_ref() } else { None };
    let located = locate::locate(&python, &args.module, &settings.search.cwd, &settings.vars, pythonpath)?;
    let code = if located.found.is_some() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    if args.json {
        printer.json(&LocatedJson::from(&located))?;
        return Ok(code);
    }
    match &located.found {
        Some(found) if found.builtin => {
            printer.data(format_args!(
                "{}: {} module (compiled into Python)",
                located.module,
                found.origin.as_deref().unwrap_or("built-in")
            ));
        }
        Some(found) => {
            let place = found.location.as_deref().or(found.origin.as_deref()).unwrap_or("?");
            let kind = if found.namespace { " (namespace package)" } else { "" };
            printer.data(format_args!("{}: {place}{kind}", located.module));
            if let Some(copy) = located.copies.iter().find(|c| c.wins) {
                let entry = &located.sys_path[copy.index];
                printer.data(format_args!(
                    "  from sys.path[{}] {} ({})",
                    copy.index,
                    display_entry(&entry.path),
                    entry.kind
                ));
            }
        }
        None => {
            let why = located.error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
            printer.data(format_args!("{}: not found{why}", located.module));
        }
    }
    let shadowed: Vec<_> = located.copies.iter().filter(|c| !c.wins).collect();
    if !shadowed.is_empty() {
        printer.data("shadowed copies:");
        for copy in shadowed {
            let entry = &located.sys_path[copy.index];
            printer.data(format_args!(
                "  {} (sys.path[{}], {})",
                copy.location.as_deref().unwrap_or("?"),
                copy.index,
                entry.kind
            ));
        }
    }
    printer.data(format_args!("sys.path of {} (Python {}):", located.executable, located.version));
    for (i, entry) in located.sys_path.iter().enumerate() {
        let via = entry.pth.as_deref().map(|p| format!(" from {p}")).unwrap_or_default();
        printer.data(format_args!("  [{i}] {} ({}{via})", display_entry(&entry.path), entry.kind));
    }
    if located.found.is_none() {
        return Err(UserError::new(format!(
            "`{}` cannot be imported in `{}`",
            located.module,
            env.root.display()
        ))
        .hint(format!(
            "install it into the env (`{} -m pip install ...`), or check the name",
            python.display()
        ))
        .not_found()
        .into());
    }
    Ok(code)
}

fn display_entry(path: &str) -> String {
    if path.is_empty() { "'' (the current directory)".to_string() } else { path.to_string() }
}
