//! `venvoy which NAME`: every match on PATH, the one that runs, and the traps.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_fs::venv::is_interpreter_name;
use venvoy_inspect::pep668::{ExternallyManaged, externally_managed};
use venvoy_inspect::traps::{Trap, find_traps};
use venvoy_inspect::which::{Match, WhichEnv, find_all};

use crate::cli::WhichArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

const INVISIBLE: &str = "shell aliases, functions and the shell's hash table are invisible to venvoy: check them with `type -a NAME` (bash, zsh) or `type NAME` (fish); `hash -r` forgets remembered paths";

#[derive(Serialize)]
struct Report<'a> {
    name: &'a str,
    matches: Vec<MatchOut<'a>>,
    warnings: Vec<TrapOut<'a>>,
    note: &'a str,
}

/// One executable file found for the name.
#[derive(Serialize)]
struct MatchOut<'a> {
    path: &'a Path,
    /// Index of its directory in PATH.
    path_index: usize,
    /// The first match: what the shell runs.
    runs: bool,
    /// The venv the file lives in.
    #[serde(skip_serializing_if = "Option::is_none")]
    venv: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    symlink_to: Option<&'a Path>,
    /// The file finally reached.
    resolved: &'a Path,
    /// For scripts: the interpreter of the script header.
    #[serde(skip_serializing_if = "Option::is_none")]
    interpreter: Option<&'a Path>,
    /// For `#!/usr/bin/env NAME` scripts: NAME.
    #[serde(skip_serializing_if = "Option::is_none")]
    env_command: Option<&'a str>,
    relocatable_script: bool,
    pyenv_shim: bool,
    /// Index of an earlier match in the same directory (a directory on PATH twice).
    #[serde(skip_serializing_if = "Option::is_none")]
    same_as: Option<usize>,
    /// For a pyenv shim of an interpreter: what pyenv would run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pyenv_runs: Option<PathBuf>,
    /// Why what the shim runs could not be worked out (e.g. a refused `.python-version`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pyenv_error: Option<String>,
}

impl<'a> MatchOut<'a> {
    fn new(m: &'a Match, pyenv: Option<Result<PathBuf, String>>) -> Self {
        Self {
            path: &m.path,
            path_index: m.path_index,
            runs: m.runs,
            venv: m.venv.as_deref(),
            symlink_to: m.symlink_to.as_deref(),
            resolved: &m.resolved,
            interpreter: m.interpreter.as_deref(),
            env_command: m.env_command.as_deref(),
            relocatable_script: m.relocatable_script,
            pyenv_shim: m.pyenv_shim,
            same_as: m.same_as,
            pyenv_runs: pyenv.clone().and_then(Result::ok),
            pyenv_error: pyenv.and_then(Result::err),
        }
    }
}

/// A trap in the caller's environment: its id, what it names, and the message.
#[derive(Serialize)]
#[serde(tag = "trap", rename_all = "kebab-case")]
enum TrapOut<'a> {
    PipPythonMismatch { pip: &'a Path, pip_python: &'a Path, python: &'a Path, message: String },
    ActiveEnvNotFirst { virtual_env: &'a Path, python: Option<&'a Path>, message: String },
    PyenvShimFirst { shim: &'a Path, message: String },
    PythonHome { value: &'a str, message: String },
    PythonPath { value: &'a str, message: String },
    DuplicatePath { dir: &'a Path, count: usize, message: String },
}

impl<'a> From<&'a Trap> for TrapOut<'a> {
    fn from(t: &'a Trap) -> Self {
        let message = t.message();
        match t {
            Trap::PipPythonMismatch { pip, pip_python, python } => {
                Self::PipPythonMismatch { pip, pip_python, python, message }
            }
            Trap::ActiveEnvNotFirst { virtual_env, python } => {
                Self::ActiveEnvNotFirst { virtual_env, python: python.as_deref(), message }
            }
            Trap::PyenvShimFirst { shim } => Self::PyenvShimFirst { shim, message },
            Trap::PythonHome { value } => Self::PythonHome { value, message },
            Trap::PythonPath { value } => Self::PythonPath { value, message },
            Trap::DuplicatePath { dir, count } => Self::DuplicatePath { dir, count: *count, message },
        }
    }
}

/// The caller's environment as `which` and the doctor's PATH checks see it.
pub fn which_env(settings: &Settings) -> WhichEnv {
    WhichEnv {
        path: settings.search.path.clone(),
        cwd: settings.search.cwd.clone(),
        virtual_env: settings.virtual_env.clone(),
        python_home: settings.python_home.clone(),
        python_path: settings.python_path.clone(),
        search: settings.search.clone(),
    }
}

pub fn run(args: WhichArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let env = which_env(settings);
    let matches = find_all(&args.name, &env);
    let traps = find_traps(&env, (&args.name, &matches));
    let note = INVISIBLE.replace("NAME", &args.name);
    let code = if matches.is_empty() { ExitCode::from(1) } else { ExitCode::SUCCESS };
    // What a pyenv shim of an interpreter runs, worked out as pyenv would
    // (version files, `PYENV_VERSION`), without running pyenv.
    let is_python = is_interpreter_name(&args.name);
    let discoverer = matches.iter().any(|m| m.pyenv_shim && is_python).then(|| settings.discoverer());
    let pyenv_runs: Vec<Option<Result<PathBuf, String>>> = matches
        .iter()
        .map(|m| {
            let discoverer = discoverer.as_ref().filter(|_| m.pyenv_shim)?;
            match discoverer.resolve_path(&m.path) {
                Ok(s) => Some(Ok(s.interpreter.found_as)),
                Err(
                    err @ (venvoy_python::FindError::BadVersionFile { .. }
                    | venvoy_python::FindError::UnreadableVersionFile(_)),
                ) => Some(Err(err.to_string())),
                Err(_) => None,
            }
        })
        .collect();
    if args.json {
        let warnings = traps.iter().map(TrapOut::from).collect();
        let matches = matches.iter().zip(pyenv_runs).map(|(m, runs)| MatchOut::new(m, runs)).collect();
        printer.json(&Report { name: &args.name, matches, warnings, note: &note })?;
        return Ok(code);
    }
    for (i, m) in matches.iter().enumerate() {
        let marker = if m.runs { "*" } else { " " };
        printer.data(format_args!("{marker} {}. {}", i + 1, m.path.display()));
        if m.runs {
            printer.data("      runs when you type it");
        }
        if let Some(same) = m.same_as {
            printer.data(format_args!(
                "      same directory as #{}, reached through another PATH entry: never runs",
                same + 1
            ));
        } else if !m.runs {
            printer.data("      shadowed by #1");
        }
        if let Some(venv) = &m.venv {
            printer.data(format_args!("      in venv {}", venv.display()));
        }
        if let Some(target) = &m.symlink_to {
            printer.data(format_args!(
                "      symlink to {} (reaches {})",
                target.display(),
                m.resolved.display()
            ));
        }
        if m.pyenv_shim {
            match &pyenv_runs[i] {
                Some(Ok(runs)) => {
                    printer.data(format_args!("      pyenv shim: pyenv runs {}", runs.display()))
                }
                Some(Err(why)) => printer.data(format_args!("      pyenv shim: not followed: {why}")),
                None => printer.data(
                    "      pyenv shim: pyenv picks what runs (see `pyenv which NAME`)"
                        .replace("NAME", &args.name),
                ),
            }
        }
        match (&m.env_command, &m.interpreter) {
            (Some(cmd), Some(found)) => {
                printer.data(format_args!("      script run by `env {cmd}`: {}", found.display()));
            }
            (Some(cmd), None) => printer.data(format_args!("      script run by `env {cmd}`: not on PATH")),
            (None, Some(interpreter)) => {
                let missing = if interpreter.exists() { "" } else { " (missing)" };
                printer.data(format_args!("      script run by {}{missing}", interpreter.display()));
            }
            (None, None) if m.relocatable_script => {
                let dir = m.resolved.parent().unwrap_or(&m.resolved);
                printer.data(format_args!("      relocatable script: runs the Python in {}", dir.display()));
            }
            (None, None) => {}
        }
    }
    for trap in &traps {
        printer.warn(trap.message());
    }
    if let Some(first) = matches.iter().find(|m| m.runs)
        && let Some(marked) = externally_managed_command(&args.name, first, &pyenv_runs, settings)
    {
        explain_pep668(&args.name, &first.path, &marked, printer);
    }
    if matches.is_empty() {
        return Err(UserError::new(format!("no `{}` on PATH", args.name)).hint(note).not_found().into());
    }
    printer.message(format_args!("note: {note}"));
    Ok(code)
}

/// The Python a `python…` or `pip…` command runs, when venvoy's query says
/// it is externally managed (PEP 668) and not a venv.
pub fn externally_managed_command(
    name: &str,
    found: &Match,
    pyenv_runs: &[Option<Result<PathBuf, String>>],
    settings: &Settings,
) -> Option<ExternallyManaged> {
    if found.venv.is_some() {
        return None;
    }
    let is_pip = name == "pip" || name.strip_prefix("pip").is_some_and(|v| v.starts_with('3'));
    let python = if is_pip {
        found.interpreter.clone()
    } else if is_interpreter_name(name) {
        let shim = pyenv_runs.first().and_then(|r| r.clone()).and_then(Result::ok);
        Some(shim.unwrap_or_else(|| found.resolved.clone()))
    } else {
        None
    }?;
    if venvoy_inspect::which::venv_of(&python).is_some() {
        return None;
    }
    let interpreter = settings.discoverer().inspect(&python, venvoy_python::Source::Path).ok()?;
    externally_managed(&interpreter)
}

/// Say that `command` belongs to an externally managed Python, quote its
/// marker, and point at a venv.
pub fn explain_pep668(name: &str, command: &std::path::Path, marked: &ExternallyManaged, printer: &Printer) {
    printer.warn(format_args!(
        "`{}` belongs to `{}`, which is externally managed (PEP 668, `{}`): `pip install` refuses to install into it",
        command.display(),
        marked.python.display(),
        marked.marker.display()
    ));
    if let Some(message) = &marked.message {
        for line in message.lines() {
            printer.message(format_args!("    | {line}"));
        }
    }
    let what = if name.starts_with("pip") { "install packages" } else { "work on a project" };
    printer.message(format_args!(
        "hint: to {what}, make a venv: `venvoy create` (then `venvoy run pip install …`, or activate it)"
    ));
}
