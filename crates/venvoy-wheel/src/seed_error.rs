//! Why seed wheels could not be found, fetched or installed, each with what to do about it.

use std::path::PathBuf;

use crate::InstallError;

/// An error choosing, downloading or installing seed packages.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// No source has a usable wheel of a seed package.
    #[error("no wheel of `{package}` for Python {python} in venvoy's cache, in the interpreter's ensurepip, or on the index{}", reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default())]
    NoSource {
        /// The package, e.g. `pip`.
        package: String,
        /// The interpreter version.
        python: String,
        /// Why the index could not help, when it was asked.
        reason: Option<String>,
    },
    /// The index has no wheel of a package that fits the interpreter.
    #[error("`{url}` lists no wheel of `{package}` that works with Python {python}")]
    NotOnIndex {
        /// The package.
        package: String,
        /// The interpreter version(s).
        python: String,
        /// The project page asked.
        url: String,
    },
    /// The index (or a download) could not be reached or answered an error.
    #[error("cannot fetch `{url}`")]
    Http {
        /// What was being fetched.
        url: String,
        /// What went wrong.
        #[source]
        source: Box<ureq::Error>,
    },
    /// The index answered with an HTTP error status.
    #[error("`{url}` answered HTTP {status}")]
    Status {
        /// What was being fetched.
        url: String,
        /// The status code.
        status: u16,
    },
    /// The index's project page could not be understood.
    #[error("cannot read the project page `{url}`: {reason}")]
    Page {
        /// The page.
        url: String,
        /// What was wrong with it.
        reason: String,
    },
    /// A downloaded file does not have the SHA-256 the index gave.
    #[error("`{url}` does not match the SHA-256 the index gives (expected {expected}, got {actual})")]
    HashMismatch {
        /// The download.
        url: String,
        /// The index's hash.
        expected: String,
        /// The downloaded file's hash.
        actual: String,
    },
    /// The index gave no SHA-256 for a file, so it cannot be checked.
    #[error("the index gives no SHA-256 for `{url}`; refusing to use an unchecked download")]
    NoHash {
        /// The file.
        url: String,
    },
    /// The index configuration is unusable (bad URL or proxy).
    #[error("invalid {what} `{value}`")]
    Config {
        /// "index URL", "proxy" or "certificate bundle".
        what: &'static str,
        /// The value given.
        value: String,
    },
    /// A file system operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Installing a chosen wheel failed.
    #[error("cannot install `{}`", wheel.display())]
    Install {
        /// The wheel.
        wheel: PathBuf,
        /// What the installer said.
        #[source]
        source: InstallError,
    },
}

impl SeedError {
    pub fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { action, path, source }
    }
}

impl venvoy_fs::Hint for SeedError {
    /// What the user can do about it.
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NoSource { .. } => {
                "pass `--without-pip` to create the env without pip, or run `venvoy cache update` while online so the cache has the seed wheels".into()
            }
            Self::NotOnIndex { .. } => "check the package name and `PIP_INDEX_URL`".into(),
            Self::Http { .. } | Self::Status { .. } | Self::Page { .. } => {
                "check the network, `PIP_INDEX_URL` and `https_proxy`; the wheels that ship with Python are used when the cache is empty".into()
            }
            Self::HashMismatch { .. } => {
                "the download was damaged or tampered with on the way; try again, and check `PIP_INDEX_URL` and `https_proxy`".into()
            }
            Self::NoHash { .. } => "use an index that publishes SHA-256 hashes (PyPI does)".into(),
            Self::Config { what: "proxy", .. } => "fix `https_proxy`; it should look like `http://host:port`".into(),
            Self::Config { what: "certificate bundle", .. } => {
                "point `PIP_CERT` or `SSL_CERT_FILE` at a PEM file of certificates".into()
            }
            Self::Config { .. } => "fix `PIP_INDEX_URL`; it should be a simple API URL like `https://pypi.org/simple`".into(),
            Self::Install { source, .. } if source.is_permission() => {
                "venvoy's cache cannot be written by this user: point `VENVOY_CACHE_DIR` at a directory you can write".into()
            }
            Self::Install { .. } => "run `venvoy cache clean` to drop the cached wheels, then try again".into(),
            Self::Io { .. } => return None,
        })
    }
}
