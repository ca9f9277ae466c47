//! What `build.rs` recorded about this binary: version, commit, target,
//! compiler and build date, for `venvoy --version -v` and `venvoy version`.

use std::fmt;

use serde::Serialize;

/// The facts a bug report needs about the binary that ran.
#[derive(Debug, Clone, Serialize)]
pub struct BuildInfo {
    pub version: &'static str,
    /// `None` when built outside a git checkout (from an sdist).
    pub commit_hash: Option<&'static str>,
    pub commit_date: Option<&'static str>,
    pub target: &'static str,
    pub rustc: Option<&'static str>,
    pub build_date: &'static str,
}

impl BuildInfo {
    pub const CURRENT: Self = Self {
        version: env!("CARGO_PKG_VERSION"),
        commit_hash: option_env!("VENVOY_COMMIT_HASH"),
        commit_date: option_env!("VENVOY_COMMIT_DATE"),
        target: env!("VENVOY_TARGET"),
        rustc: option_env!("VENVOY_RUSTC"),
        build_date: env!("VENVOY_BUILD_DATE"),
    };
}

/// `venvoy 0.1.0`, then one `key: value` line per fact (as `rustc -vV` does).
impl fmt::Display for BuildInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "venvoy {}", self.version)?;
        writeln!(
            f,
            "commit-hash: {}",
            self.commit_hash.unwrap_or("unknown (not built from a git checkout)")
        )?;
        writeln!(f, "commit-date: {}", self.commit_date.unwrap_or("unknown"))?;
        writeln!(f, "target: {}", self.target)?;
        writeln!(f, "rustc: {}", self.rustc.unwrap_or("unknown"))?;
        write!(f, "build-date: {}", self.build_date)
    }
}
