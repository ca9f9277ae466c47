//! `Requires-Python`: whether a distribution supports an interpreter version.

use std::fmt;
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};

/// The version of the interpreter seed packages are chosen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PythonVersion {
    /// e.g. 3
    pub major: u64,
    /// e.g. 12
    pub minor: u64,
    /// e.g. 1
    pub micro: u64,
}

impl PythonVersion {
    /// `major.minor.micro`.
    pub fn new(major: u64, minor: u64, micro: u64) -> Self {
        Self { major, minor, micro }
    }

    /// Whether a `Requires-Python` value admits this version. A missing or
    /// empty value admits every version; so does one that cannot be parsed,
    /// as pip does (it warns and ignores it).
    pub fn allows(&self, requires_python: Option<&str>) -> bool {
        let Some(spec) = requires_python.map(str::trim).filter(|s| !s.is_empty()) else {
            return true;
        };
        match VersionSpecifiers::from_str(spec) {
            Ok(specs) => specs.contains(&Version::new([self.major, self.minor, self.micro])),
            Err(err) => {
                tracing::debug!("ignoring the invalid Requires-Python `{spec}`: {err}");
                true
            }
        }
    }
}

impl fmt::Display for PythonVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.micro)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_24_0_is_the_last_for_3_7() {
        let py37 = PythonVersion::new(3, 7, 16);
        let py313 = PythonVersion::new(3, 13, 0);
        assert!(py37.allows(Some(">=3.7")));
        assert!(!py37.allows(Some(">=3.8")));
        assert!(py313.allows(Some(">=3.8")));
        assert!(py37.allows(None));
        assert!(py37.allows(Some("  ")));
        assert!(py37.allows(Some("not a specifier")));
        assert!(!py313.allows(Some(">=2.7, !=3.0.*, <3.13")));
        assert!(PythonVersion::new(3, 12, 0).allows(Some(">=2.7,!=3.0.*,!=3.1.*")));
    }
}
