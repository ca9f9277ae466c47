//! Errors of the inspection and repair functions, each with a hint.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("cannot read `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` has no Python interpreter in `bin/`", root.display())]
    NoPython { root: PathBuf },
    #[error("cannot run `{}`", python.display())]
    Spawn {
        python: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` failed while looking up `{module}`: {stderr}", python.display())]
    LocateFailed { python: PathBuf, module: String, stderr: String },
    #[error("`{module}` is not a module name")]
    BadModule { module: String },
}

impl venvoy_fs::Hint for InspectError {
    fn hint(&self) -> Option<String> {
        match self {
            Self::Io { .. } => None,
            Self::NoPython { root } | Self::Spawn { python: root, .. } => {
                Some(format!("the env may be broken: run `venvoy doctor {}`", root.display()))
            }
            Self::LocateFailed { .. } => Some("run `venvoy doctor` on the env".into()),
            Self::BadModule { .. } => Some("give a dotted module name such as `json` or `email.mime`".into()),
        }
    }
}
