//! Why a clone, move or conversion did not happen, with what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum RelocateError {
    #[error("`{}` is not a venv (no `pyvenv.cfg` and `bin/`)", path.display())]
    NotAVenv { path: PathBuf },
    #[error("`{}` already exists", path.display())]
    DestExists { path: PathBuf },
    #[error("`{}` is inside the env `{}`", dest.display(), source_env.display())]
    DestInsideSource { dest: PathBuf, source_env: PathBuf },
    #[error("`{}` is a symlink to an env, not the env itself", path.display())]
    SourceIsSymlink { path: PathBuf },
    #[error("{refusal}; moving it would delete the source")]
    SourceNotDeletable { refusal: venvoy_fs::DeleteRefusal },
    #[error("`{}` is the active env (`$VIRTUAL_ENV`)", path.display())]
    ActiveEnv { path: PathBuf },
    #[error("cannot {action} `{}`", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl RelocateError {
    /// An I/O error while doing `action` to `path`, for `map_err`.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { action, path, source }
    }
}

impl venvoy_fs::Hint for RelocateError {
    /// What the user can do about it.
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NotAVenv { .. } => "only venvs (directories with `pyvenv.cfg`) can be cloned or moved".into(),
            Self::DestExists { .. } => {
                "choose a path that does not exist yet; venvoy never replaces a directory it did not make".into()
            }
            Self::DestInsideSource { .. } => "choose a destination outside the env".into(),
            Self::SourceNotDeletable { .. } => {
                "clone it instead (the source stays), or move the project files out of the env first".into()
            }
            Self::SourceIsSymlink { .. } => {
                "move the directory it points to (then re-point the link), or clone the env instead".into()
            }
            Self::ActiveEnv { .. } => {
                "run `deactivate` first, or pass `--force` to move it anyway (the active shell keeps the old paths)"
                    .into()
            }
            Self::Io { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
                "check the permissions of the directory".into()
            }
            Self::Io { .. } => return None,
        })
    }
}
