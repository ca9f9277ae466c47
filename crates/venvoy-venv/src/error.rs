//! Why creating a venv failed, each with what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("`{}` contains `{sep}`, the PATH separator, so its `bin` could never be put on PATH", path.display())]
    PathSeparator { path: PathBuf, sep: char },
    #[error("`{}` is not valid UTF-8, so fish, csh/tcsh, nushell, xonsh and PowerShell could never activate it", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("`{}` exists and is not a directory", path.display())]
    NotADirectory { path: PathBuf },
    #[error("`{}` is already a venv", path.display())]
    AlreadyVenv { path: PathBuf },
    #[error("`{}` is not empty", path.display())]
    NotEmpty { path: PathBuf },
    #[error("{refusal}; refusing to empty it")]
    ClearRefused { refusal: venvoy_fs::DeleteRefusal },
    #[error("`{}` is a symlink to `{}`; refusing to follow it", path.display(), target.display())]
    Symlink { path: PathBuf, target: PathBuf },
    #[error("`{}` is not a venv, so there is nothing to upgrade", path.display())]
    UpgradeNotVenv { path: PathBuf },
    #[error("cannot upgrade `{}` from Python {from} to {to}: only the same or a newer minor version of Python {major} can be used", path.display())]
    UpgradeDowngrade { path: PathBuf, from: String, to: String, major: u64 },
    #[error("`{}` was created by another process while this one was working", path.display())]
    Raced { path: PathBuf },
    #[error("permission denied: `{}`", path.display())]
    PermissionDenied {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the interpreter `{}` did not report its venv layout", path.display())]
    NoDetails { path: PathBuf },
    #[error("could not write activation scripts into `{}`", path.display())]
    Activation {
        path: PathBuf,
        #[source]
        source: venvoy_shell::Error,
    },
    #[error("cannot seed packages into `{}`", path.display())]
    Seed {
        path: PathBuf,
        #[source]
        source: venvoy_fs::BoxedHint,
    },
    #[error("{action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl CreateError {
    /// An I/O error, turned into `PermissionDenied` when that is what it is.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::PermissionDenied {
            Self::PermissionDenied { path, source }
        } else {
            Self::Io { action, path, source }
        }
    }
}

impl venvoy_fs::Hint for CreateError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::PathSeparator { .. } => "choose a directory name without `:`".into(),
            Self::NotUtf8 { .. } => "choose a directory name that is valid UTF-8".into(),
            Self::NotADirectory { .. } => "choose another path, or remove the file first".into(),
            Self::AlreadyVenv { .. } => {
                "use `--clear` to recreate it empty, `--upgrade` to re-point it to a newer Python, or `--allow-existing` to refresh it".into()
            }
            Self::NotEmpty { .. } => "choose another path, or pass `--allow-existing` to create the venv among the existing files".into(),
            Self::ClearRefused { refusal: venvoy_fs::DeleteRefusal::HoldsProject { found, .. } } => format!(
                "emptying it would delete {}; keep the env apart from the project (say in `.venv`), or pass `--clear --force` if you are sure",
                found.join(", ")
            ),
            Self::ClearRefused { refusal } => format!(
                "{}; `--clear --force` empties it anyway (its files are deleted)",
                refusal.hint().unwrap_or_else(|| "check the path".into())
            ),
            Self::Symlink { target, .. } => format!("pass the real directory, `{}`, if that is what you mean", target.display()),
            Self::UpgradeNotVenv { .. } => "create it first with `venvoy create`".into(),
            Self::UpgradeDowngrade { .. } => "use `--clear` to recreate the venv with that interpreter".into(),
            Self::Raced { .. } => "another `venvoy create` made it; use it, or pass `--clear` to recreate it".into(),
            Self::PermissionDenied { .. } => "choose a directory you can write to, or fix its permissions".into(),
            Self::NoDetails { .. } => "run `venvoy cache clean` and try again".into(),
            Self::Seed { source, .. } => return source.hint(),
            Self::Activation { .. } | Self::Io { .. } => return None,
        })
    }
}
