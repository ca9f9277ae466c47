//! Why an env could not be found, saying which rule was tried and what was found.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EnvError {
    #[error("`{}` is not a venv: {why}", path.display())]
    NotAVenv { path: PathBuf, rule: String, why: String },
    #[error("`{}` does not exist", path.display())]
    Missing { path: PathBuf, rule: String },
    #[error("no env named `{name}` in `{}`", home.display())]
    NoSuchName {
        name: String,
        home: PathBuf,
        available: Vec<String>,
        /// `./NAME`, when that is a venv in the current directory.
        local: Option<PathBuf>,
    },
    #[error("`{name}` is not a valid env name")]
    BadName { name: String },
    #[error("the pointer file `{}` does not name an env", file.display())]
    BadPointer { file: PathBuf },
    #[error("`$VIRTUAL_ENV` is `{}`, which is not a venv", path.display())]
    StaleActive { path: PathBuf },
    #[error("no env here: `$VIRTUAL_ENV` is not set and there is no `.venv` in `{}` or above", cwd.display())]
    NotFound { cwd: PathBuf },
    #[error(transparent)]
    Read(#[from] venvoy_fs::ReadError),
    #[error("cannot read `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl EnvError {
    /// "Nothing found" errors exit with 1.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NoSuchName { .. } | Self::NotFound { .. })
    }
}

impl venvoy_fs::Hint for EnvError {
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NotAVenv { rule, .. } | Self::Missing { rule, .. } => {
                format!("it was named by {rule}; check the path, or see `venvoy list`")
            }
            Self::NoSuchName { name, local: Some(_), .. } => format!(
                "`./{name}` is a venv here: a bare word is a name in the env home, so write `./{name}` for the directory"
            ),
            Self::NoSuchName { available, .. } if available.is_empty() => {
                "the env home is empty; create one with `venvoy create -n NAME`".into()
            }
            Self::NoSuchName { available, .. } => format!("envs in the home: {}", available.join(", ")),
            Self::BadName { .. } => crate::name::RULE.into(),
            Self::BadPointer { .. } => {
                "a `.venv` file holds one line (PEP 832): the path of the env, absolute or relative to the file's directory; `venvoy use ENV` writes one".into()
            }
            Self::StaleActive { .. } => "run `deactivate`, or name the env explicitly".into(),
            Self::NotFound { .. } => {
                "name an env (a name or a path), or create one here with `venvoy create`".into()
            }
            Self::Read(err) => return err.hint(),
            Self::Io { .. } => return None,
        })
    }

    fn nothing_found(&self) -> bool {
        self.is_not_found()
    }
}
