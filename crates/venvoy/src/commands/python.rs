//! `venvoy python list` and `venvoy python find`.

use std::process::ExitCode;

use serde::Serialize;
use venvoy_python::{Interpreter, PythonRequest};

use crate::cli::PythonCommand;
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

/// One interpreter as `--json` shows it.
#[derive(Serialize)]
struct InterpreterJson<'a> {
    implementation: &'static str,
    python_version: String,
    version_info: &'a (u64, u64, u64, String, u64),
    architecture: &'a str,
    free_threaded: bool,
    supported: bool,
    path: &'a std::path::Path,
    found_as: &'a std::path::Path,
    sources: Vec<&'static str>,
    externally_managed: bool,
}

impl<'a> From<&'a Interpreter> for InterpreterJson<'a> {
    fn from(i: &'a Interpreter) -> Self {
        Self {
            implementation: i.implementation().key(),
            python_version: i.version_string(),
            version_info: &i.info.version_info,
            architecture: i.architecture(),
            free_threaded: i.is_free_threaded(),
            supported: i.is_supported(),
            path: &i.path,
            found_as: &i.found_as,
            sources: i.sources.iter().map(|s| s.name()).collect(),
            externally_managed: i.details().is_some_and(|d| d.externally_managed),
        }
    }
}

pub fn run(cmd: PythonCommand, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let discoverer = settings.discoverer();
    match cmd {
        PythonCommand::List { json } => {
            let found = discoverer.discover();
            for problem in &found.problems {
                tracing::info!("skipped `{}`: {}", problem.path.display(), problem.message);
            }
            if json {
                let list: Vec<InterpreterJson> = found.interpreters.iter().map(Into::into).collect();
                printer.json(&list)?;
            } else {
                let rows: Vec<[String; 4]> = found
                    .interpreters
                    .iter()
                    .map(|i| {
                        let mut note =
                            if i.is_supported() { String::new() } else { "  (unsupported)".into() };
                        if i.details().is_some_and(|d| d.externally_managed && !d.is_venv) {
                            note.push_str("  (externally managed: pip installs only in a venv)");
                        }
                        let sources: Vec<&str> = i.sources.iter().map(|s| s.name()).collect();
                        [
                            i.label(),
                            i.architecture().to_string(),
                            sources.join(","),
                            format!("{}{note}", i.path.display()),
                        ]
                    })
                    .collect();
                let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
                let (w0, w1, w2) = (width(0), width(1), width(2));
                for [label, arch, sources, path] in &rows {
                    printer.data(format_args!("{label:<w0$}  {arch:<w1$}  {sources:<w2$}  {path}"));
                }
                if rows.is_empty() {
                    printer.message("No Python interpreters found");
                    return Ok(ExitCode::from(1));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PythonCommand::Find { request, json } => {
            let request = PythonRequest::parse(request.as_deref().unwrap_or(""))?;
            let selection = discoverer.find(&request)?;
            warn_skipped(printer, &selection);
            tracing::info!("chose {} ({})", selection.interpreter.label(), selection.reason);
            if json {
                #[derive(Serialize)]
                struct Found<'a> {
                    #[serde(flatten)]
                    interpreter: InterpreterJson<'a>,
                    reason: &'a str,
                }
                printer.json(&Found {
                    interpreter: (&selection.interpreter).into(),
                    reason: &selection.reason,
                })?;
            } else {
                printer.data(selection.interpreter.path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Say which interpreter a request passed over, and why, before the one it took.
pub fn warn_skipped(printer: &Printer, selection: &venvoy_python::find::Selection) {
    for skipped in &selection.skipped {
        printer.warn(format_args!(
            "`{}` on PATH was skipped: {}; using `{}` instead",
            skipped.path.display(),
            skipped.message,
            selection.interpreter.path.display()
        ));
    }
}
