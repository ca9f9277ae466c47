//! [`Error`]: what can go wrong writing activation scripts.

use std::path::PathBuf;

/// An error from writing an env's activation scripts.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A script could not be written.
    #[error("failed to write activation script `{}`", path.display())]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl venvoy_fs::Hint for Error {}
