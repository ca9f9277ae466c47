//! The error type of the wheel installer: every variant names the path involved.

use std::path::PathBuf;

use venvoy_dist::ParseError;

/// Why a wheel could not be unpacked or installed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// A file system operation failed.
    #[error("{action} `{}`", path.display())]
    Io {
        /// What was being done, e.g. "cannot create".
        action: &'static str,
        /// The path it was done to.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The wheel's file name is not a valid wheel name.
    #[error("`{}` is not a valid wheel file name", path.display())]
    Filename {
        /// The wheel.
        path: PathBuf,
        /// What was wrong.
        #[source]
        source: ParseError,
    },
    /// The archive could not be read as a zip file.
    #[error("`{}` is not a readable zip archive", path.display())]
    Zip {
        /// The wheel.
        path: PathBuf,
        /// What the zip reader said.
        #[source]
        source: zip::result::ZipError,
    },
    /// An archive member would be written outside its target (zip-slip), or
    /// is a symlink, a duplicate, or otherwise not to be extracted.
    #[error("`{}` contains a forbidden entry `{entry}`: {reason}", wheel.display())]
    ForbiddenEntry {
        /// The wheel.
        wheel: PathBuf,
        /// The entry name as stored in the archive.
        entry: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A file's content does not match the hash or size its `RECORD` gives.
    #[error("`{}`: `{entry}` does not match RECORD ({detail})", wheel.display())]
    RecordMismatch {
        /// The wheel.
        wheel: PathBuf,
        /// The archive member.
        entry: String,
        /// Expected and actual values.
        detail: String,
    },
    /// A file in the archive is missing from `RECORD`, or listed without a hash.
    #[error("`{}`: `{entry}` is not listed with a hash in RECORD", wheel.display())]
    NotInRecord {
        /// The wheel.
        wheel: PathBuf,
        /// The archive member.
        entry: String,
    },
    /// A metadata file inside the wheel is malformed.
    #[error("`{}`: cannot parse `{file}`", wheel.display())]
    Metadata {
        /// The wheel.
        wheel: PathBuf,
        /// The member inside the archive.
        file: String,
        /// What was wrong.
        #[source]
        source: ParseError,
    },
    /// The wheel's `.dist-info` directory is missing, duplicated or misnamed,
    /// or its `WHEEL` file is unusable.
    #[error("`{}`: {reason}", wheel.display())]
    InvalidWheel {
        /// The wheel.
        wheel: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The wheel's tags do not fit the target interpreter.
    #[error("`{}` is not compatible with {target} (wheel tags: {tags})", wheel.display())]
    Incompatible {
        /// The wheel.
        wheel: PathBuf,
        /// The wheel's tags, e.g. `cp312-cp312-manylinux_2_17_x86_64`.
        tags: String,
        /// The target interpreter, e.g. `cpython 3.11`.
        target: String,
    },
    /// The install scheme is unusable (relative or non-UTF-8 paths).
    #[error("invalid install scheme path `{}`: {reason}", path.display())]
    Scheme {
        /// The offending path.
        path: PathBuf,
        /// Why.
        reason: &'static str,
    },
    /// A read-only cache has no image of the wheel.
    #[error("`{}` is not in the read-only wheel cache `{}`", wheel.display(), cache.display())]
    NotCached {
        /// The wheel.
        wheel: PathBuf,
        /// The cache root.
        cache: PathBuf,
    },
    /// Taking the cache lock failed.
    #[error("cannot lock the wheel cache entry `{}`", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl InstallError {
    /// Whether a file could not be written for lack of permission (or on a
    /// read-only file system): cleaning the cache cannot help then.
    pub fn is_permission(&self) -> bool {
        match self {
            Self::Io { source, .. } | Self::Lock { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ),
            _ => false,
        }
    }

    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { action, path, source }
    }
}

impl venvoy_fs::Hint for InstallError {}
