//! The errors of interpreter discovery, each with a hint for the user.

use std::path::PathBuf;

/// Running one interpreter's query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("could not run `{}`", path.display())]
    Spawn {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` did not answer within {seconds} s and was stopped", path.display())]
    Timeout { path: PathBuf, seconds: f64 },
    #[error("`{}` {status} when queried{}", path.display(), if stderr.is_empty() { String::new() } else { format!(": {}", last_line(stderr)) })]
    Failed { path: PathBuf, status: String, stderr: String },
    #[error("`{}` printed something that is not a Python query answer ({detail}): {output:?}", path.display())]
    Garbage { path: PathBuf, detail: String, output: String },
}

fn last_line(s: &str) -> &str {
    s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("")
}

impl QueryError {
    pub fn path(&self) -> &PathBuf {
        match self {
            Self::Spawn { path, .. }
            | Self::Timeout { path, .. }
            | Self::Failed { path, .. }
            | Self::Garbage { path, .. } => path,
        }
    }
}

/// Finding an interpreter for a request failed.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("no Python interpreter matches `{request}`")]
    NoMatch { request: String, available: Vec<String> },
    #[error("`{}` does not exist", path.display())]
    Missing { path: PathBuf },
    #[error("`{}` is a broken symlink (it points to `{}`, which does not exist)", path.display(), target.display())]
    DanglingLink { path: PathBuf, target: PathBuf },
    #[error("`{}` is not executable", path.display())]
    NotExecutable { path: PathBuf },
    #[error("`{}` is a directory with no Python interpreter in it", path.display())]
    NoInterpreterInDir { path: PathBuf },
    #[error("`{}` is a venv, but its base interpreter could not be found", path.display())]
    VenvBaseMissing { path: PathBuf, home: Option<PathBuf> },
    #[error("`{}` is not a Python interpreter", path.display())]
    NotPython {
        path: PathBuf,
        #[source]
        source: QueryError,
    },
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error("{} is installed, but venvoy needs Python {}.{} or newer", found, crate::MINIMUM_VERSION.0, crate::MINIMUM_VERSION.1)]
    Unsupported { path: PathBuf, found: String },
    #[error("`{command}` was not found on PATH")]
    CommandNotFound { command: String },
    #[error("invalid Python request `{request}`: {reason}")]
    BadRequest { request: String, reason: String },
    #[error("`{}` names `{name}`, which pyenv does not have", file.display())]
    VersionFile { file: PathBuf, name: String, available: Vec<String> },
    #[error("`{}` names `{name}`, which is a path, not a version", file.display())]
    BadVersionFile { file: PathBuf, name: String },
    #[error(transparent)]
    UnreadableVersionFile(venvoy_fs::read::ReadError),
}

impl FindError {
    /// Exit code 1 for "nothing found", 2 for everything else.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NoMatch { .. } | Self::CommandNotFound { .. } | Self::VersionFile { .. })
    }
}

impl venvoy_fs::Hint for FindError {
    /// What the user can do about it.
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NoMatch { available, .. } | Self::VersionFile { available, .. } if available.is_empty() => {
                "no Python interpreter was found on this machine; install one (e.g. `pyenv install 3.12`) or pass a path with `-p`".into()
            }
            Self::NoMatch { available, .. } | Self::VersionFile { available, .. } => {
                format!("interpreters found: {}; see `venvoy python list`", available.join(", "))
            }
            Self::Missing { .. } => "check the path, or run `venvoy python list` to see what exists".into(),
            Self::DanglingLink { .. } => "the interpreter it pointed to was removed or moved; point the link elsewhere or pick another with `venvoy python list`".into(),
            Self::NotExecutable { .. } => "give a path to a Python executable (e.g. `.../bin/python3`), or make it executable with `chmod +x`".into(),
            Self::NoInterpreterInDir { .. } => "give the interpreter itself, an install prefix containing `bin/python3`, or a venv".into(),
            Self::VenvBaseMissing { home, .. } => match home {
                Some(h) => format!("its `pyvenv.cfg` says `home = {}`; the interpreter there was removed; `venvoy doctor` can repair it", h.display()),
                None => "its `pyvenv.cfg` has no `home` key; recreate the venv".into(),
            },
            Self::NotPython { source, .. } | Self::Query(source) => return source.hint(),
            Self::Unsupported { .. } => format!(
                "pick Python {}.{} or newer with `-p`, e.g. `-p 3.12`; see `venvoy python list`",
                crate::MINIMUM_VERSION.0,
                crate::MINIMUM_VERSION.1
            ),
            Self::CommandNotFound { .. } => "give a version (`3.12`), a path, or a command that is on PATH".into(),
            Self::BadVersionFile { .. } => "a `.python-version` lists versions (`3.12`) or pyenv names, never paths, and venvoy runs nothing it names as a path; fix the file, or pass the interpreter with `-p`".into(),
            Self::UnreadableVersionFile(err) => return err.hint(),
            Self::BadRequest { .. } => {
                "requests look like `3.12`, `3.12.1`, `312`, `python3.12`, `cpython@3.12`, `cp312`, `pypy3.10`, `>=3.10,<3.13`, or a path".into()
            }
        })
    }

    fn nothing_found(&self) -> bool {
        self.is_not_found()
    }
}

impl venvoy_fs::Hint for QueryError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::Timeout { .. } => {
                "the interpreter hangs when started; check it runs with `<path> -c pass`".into()
            }
            _ => "check that it runs: `<path> -c 'import sys; print(sys.version)'`".into(),
        })
    }
}
