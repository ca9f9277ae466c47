//! The classic traps of "what runs when I type python": `pip` and `python`
//! from different interpreters, an active env whose `bin` is not first, a
//! pyenv shim in front, `PYTHONHOME`/`PYTHONPATH`, a directory on PATH twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::which::{Match, WhichEnv, first, venv_of};

/// One trap found in the caller's environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    /// `pip` on PATH installs for a different interpreter than `python` runs.
    PipPythonMismatch {
        pip: PathBuf,
        pip_python: PathBuf,
        python: PathBuf,
    },
    /// `$VIRTUAL_ENV` is set but another directory's `python` comes first.
    ActiveEnvNotFirst {
        virtual_env: PathBuf,
        python: Option<PathBuf>,
    },
    /// A pyenv shim is the `python` that runs: pyenv, not PATH, picks the version.
    PyenvShimFirst {
        shim: PathBuf,
    },
    PythonHome {
        value: String,
    },
    PythonPath {
        value: String,
    },
    /// The same directory appears on PATH more than once.
    DuplicatePath {
        dir: PathBuf,
        count: usize,
    },
}

impl Trap {
    /// A one-line explanation with what to do.
    pub fn message(&self) -> String {
        match self {
            Self::PipPythonMismatch { pip, pip_python, python } => format!(
                "`{}` installs for `{}`, but `python` is `{}`: use `python -m pip`",
                pip.display(),
                pip_python.display(),
                python.display()
            ),
            Self::ActiveEnvNotFirst { virtual_env, python: Some(python) } => format!(
                "`$VIRTUAL_ENV` is `{}` but `{}` runs for `python`: its `bin` is not first on PATH (activate it again, or fix PATH)",
                virtual_env.display(),
                python.display()
            ),
            Self::ActiveEnvNotFirst { virtual_env, python: None } => format!(
                "`$VIRTUAL_ENV` is `{}` but no `python` is on PATH: its `bin` is missing from PATH",
                virtual_env.display()
            ),
            Self::PyenvShimFirst { shim } => format!(
                "`{}` is a pyenv shim: pyenv chooses the Python (see `pyenv version`), not PATH",
                shim.display()
            ),
            Self::PythonHome { value } => {
                format!("`PYTHONHOME` is set (`{value}`): every Python looks for its stdlib there; unset it")
            }
            Self::PythonPath { value } => {
                format!("`PYTHONPATH` is set (`{value}`): it comes before site-packages in every Python")
            }
            Self::DuplicatePath { dir, count } => {
                format!("`{}` is on PATH {count} times", dir.display())
            }
        }
    }
}

/// Every trap in `env`. `known`: a name already looked up on this PATH, and
/// what [`crate::which::find_all`] found for it (the name `which` was asked
/// about), so it is not looked for again.
pub fn find_traps(env: &WhichEnv, known: (&str, &[Match])) -> Vec<Trap> {
    let first = |name: &str| {
        if name == known.0 { known.1.first().cloned() } else { first(name, env) }
    };
    let mut traps = Vec::new();
    let python = first("python").or_else(|| first("python3"));
    if let Some(python) = &python
        && let Some(pip) = first("pip").or_else(|| first("pip3"))
        && !python.pyenv_shim
        && !pip.pyenv_shim
        && let Some(pip_python) = pip.interpreter.clone()
        && identity(&pip_python) != identity(&python.path)
    {
        traps.push(Trap::PipPythonMismatch {
            pip: pip.path.clone(),
            pip_python,
            python: python.path.clone(),
        });
    }
    if let Some(active) = &env.virtual_env
        && let Some(runs) = runs_outside(&active.join("bin"), env)
    {
        traps.push(Trap::ActiveEnvNotFirst { virtual_env: active.clone(), python: runs });
    }
    if let Some(python) = &python
        && python.pyenv_shim
    {
        traps.push(Trap::PyenvShimFirst { shim: python.path.clone() });
    }
    if let Some(value) = &env.python_home {
        traps.push(Trap::PythonHome { value: value.to_string_lossy().into_owned() });
    }
    if let Some(value) = &env.python_path {
        traps.push(Trap::PythonPath { value: value.to_string_lossy().into_owned() });
    }
    // Literal repeats only: `/bin` and `/usr/bin` being one directory is harmless.
    // Counted in one pass (a long PATH is common), reported in PATH order.
    let dirs: Vec<PathBuf> = env.path_dirs().iter().map(|d| venvoy_fs::path::normalize(d)).collect();
    let mut counts: HashMap<&Path, usize> = HashMap::with_capacity(dirs.len());
    for dir in &dirs {
        *counts.entry(dir).or_default() += 1;
    }
    for dir in &dirs {
        if let Some(count) = counts.remove(dir.as_path())
            && count > 1
            && dir.is_dir()
        {
            traps.push(Trap::DuplicatePath { dir: dir.clone(), count });
        }
    }
    traps
}

/// `Some(what runs)` when `python` or `python3` does not run from `bin`
/// (`Some(None)`: neither is on PATH at all).
pub fn runs_outside(bin: &Path, env: &WhichEnv) -> Option<Option<PathBuf>> {
    let found: Vec<Match> = ["python", "python3"].iter().filter_map(|n| first(n, env)).collect();
    if found.is_empty() {
        return Some(None);
    }
    found.into_iter().find(|m| !m.path.parent().is_some_and(|d| same_dir(d, bin))).map(|m| Some(m.path))
}

/// Which Python a path really is: its venv for an env's interpreter, else
/// the file it resolves to.
fn identity(python: &Path) -> PathBuf {
    venv_of(python)
        .map(|v| std::fs::canonicalize(&v).unwrap_or(v))
        .unwrap_or_else(|| std::fs::canonicalize(python).unwrap_or_else(|_| python.to_path_buf()))
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}
