//! What the user asked for with `-p`/`python find`: a version, an
//! implementation, specifiers, a path or a command, and how interpreters match it.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};

use crate::error::FindError;
use crate::interpreter::{Implementation, Interpreter};

/// Interpreter names read as commands on PATH rather than as versions.
const COMMAND_NAMES: [&str; 5] = ["python", "python3", "python2", "pypy", "pypy3"];

/// A request for a Python interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PythonRequest {
    /// Nothing asked: `.python-version`, else the newest CPython.
    Default,
    /// An implementation and/or version (`3.12`, `pypy3.10`, `>=3.10,<3.13`).
    Version { implementation: Option<Implementation>, version: VersionRequest },
    /// A path to an executable, an install prefix, or a venv.
    Path(PathBuf),
    /// A bare command name to look up on PATH.
    Command(String),
}

/// The version part of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionRequest {
    Any,
    Major(u64),
    MajorMinor { major: u64, minor: u64, free_threaded: bool },
    Exact(Version),
    Specifiers(VersionSpecifiers),
}

impl PythonRequest {
    /// Parse a request as the user typed it.
    pub fn parse(input: &str) -> Result<Self, FindError> {
        let s = input.trim();
        let bad =
            |reason: &str| FindError::BadRequest { request: input.to_string(), reason: reason.to_string() };
        if s.is_empty() {
            return Ok(Self::Default);
        }
        if s.contains('/') || s.contains('\\') || s.starts_with('.') || s == "~" || s.starts_with("~/") {
            return Ok(Self::Path(PathBuf::from(s)));
        }
        let lower = s.to_ascii_lowercase();
        // `python3`, `python`, `pypy3`: what that command on PATH runs, as
        // `--help` promises (a bare `pypy` falls back to any PyPy).
        if COMMAND_NAMES.contains(&s) {
            return Ok(Self::Command(s.to_string()));
        }
        if lower.starts_with(['<', '>', '=', '!', '~']) {
            let specifiers = VersionSpecifiers::from_str(&lower).map_err(|e| bad(&e.to_string()))?;
            return Ok(Self::Version {
                implementation: None,
                version: VersionRequest::Specifiers(specifiers),
            });
        }
        // `cpython@3.12`, `cpython3.12`, `cp312`, `pypy3.10`, `pp310`, `python3.12`, `3.12`.
        let prefixes: [(&str, Option<Implementation>, bool); 7] = [
            ("cpython", Some(Implementation::CPython), false),
            ("pypy", Some(Implementation::PyPy), false),
            ("python", None, false),
            ("cp", Some(Implementation::CPython), true),
            ("pp", Some(Implementation::PyPy), true),
            ("py", None, true),
            ("", None, false),
        ];
        for (prefix, implementation, compact) in prefixes {
            let Some(rest) = lower.strip_prefix(prefix) else { continue };
            let rest = rest.strip_prefix('@').unwrap_or(rest);
            if compact && !rest.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if let Some(version) = VersionRequest::parse(rest, prefix.is_empty()) {
                return Ok(Self::Version { implementation, version });
            }
            if !prefix.is_empty() && rest.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(bad(&format!("`{rest}` is not a version")));
            }
        }
        if s.chars().all(|c| c.is_alphanumeric() || "-_.+".contains(c)) {
            return Ok(Self::Command(s.to_string()));
        }
        Err(bad("it is neither a version, a path nor a command name"))
    }

    /// The version request an interpreter command name stands for when no
    /// such command is on PATH (`pypy` → any PyPy, `python3` → any 3.x).
    pub fn interpreter_name_as_version(command: &str) -> Option<Self> {
        if !COMMAND_NAMES.contains(&command) {
            return None;
        }
        let (implementation, rest) = match command.strip_prefix("pypy") {
            Some(rest) => (Some(Implementation::PyPy), rest),
            None => (None, command.strip_prefix("python")?),
        };
        let version = if rest.is_empty() { VersionRequest::Any } else { VersionRequest::parse(rest, true)? };
        Some(Self::Version { implementation, version })
    }

    /// Whether an interpreter satisfies a version request (paths and commands
    /// are resolved, not matched).
    pub fn matches(&self, interpreter: &Interpreter) -> bool {
        match self {
            Self::Default => {
                interpreter.implementation() == Implementation::CPython && !interpreter.is_free_threaded()
            }
            Self::Version { implementation, version } => {
                implementation.is_none_or(|i| i == interpreter.implementation())
                    && version.matches(interpreter)
            }
            Self::Path(_) | Self::Command(_) => false,
        }
    }
}

impl VersionRequest {
    /// Parse the version part; `bare` is true when there was no name prefix
    /// (then an empty string is not a version).
    fn parse(s: &str, bare: bool) -> Option<Self> {
        if s.is_empty() {
            return (!bare).then_some(Self::Any);
        }
        let (s, free_threaded) = match s.strip_suffix('t') {
            Some(rest) => (rest, true),
            None => (s, false),
        };
        let parts: Vec<&str> = s.split('.').collect();
        let nums: Option<Vec<u64>> = parts
            .iter()
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
            })
            .collect();
        match (nums.as_deref(), free_threaded) {
            (Some([major]), false) if s.len() == 1 => Some(Self::Major(*major)),
            // `312` → 3.12, `27` → 2.7
            (Some([_]), _) if s.len() >= 2 => {
                let major = u64::from(s.as_bytes()[0] - b'0');
                let minor = s[1..].parse().ok()?;
                Some(Self::MajorMinor { major, minor, free_threaded })
            }
            (Some([major, minor]), _) => {
                Some(Self::MajorMinor { major: *major, minor: *minor, free_threaded })
            }
            (Some([_, _, _]), false) => Version::from_str(s).ok().map(Self::Exact),
            (_, false) => {
                // Pre-releases and other PEP 440 forms: `3.13.0rc1`.
                let v = Version::from_str(s).ok()?;
                (v.release().len() == 3).then_some(Self::Exact(v))
            }
            _ => None,
        }
    }

    pub fn matches(&self, interpreter: &Interpreter) -> bool {
        let (major, minor) = (interpreter.major(), interpreter.minor());
        match self {
            Self::Any => !interpreter.is_free_threaded(),
            Self::Major(m) => *m == major && !interpreter.is_free_threaded(),
            Self::MajorMinor { major: m, minor: n, free_threaded } => {
                *m == major && *n == minor && *free_threaded == interpreter.is_free_threaded()
            }
            Self::Exact(v) => *v == interpreter.version() && !interpreter.is_free_threaded(),
            Self::Specifiers(s) => s.contains(&interpreter.version()) && !interpreter.is_free_threaded(),
        }
    }
}

impl fmt::Display for PythonRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::Version { implementation, version } => {
                if let Some(i) = implementation {
                    write!(f, "{}", i.key())?;
                    if !matches!(version, VersionRequest::Any) {
                        f.write_str("@")?;
                    }
                }
                match version {
                    VersionRequest::Any => {
                        if implementation.is_none() {
                            f.write_str("any")
                        } else {
                            Ok(())
                        }
                    }
                    VersionRequest::Major(m) => write!(f, "{m}"),
                    VersionRequest::MajorMinor { major, minor, free_threaded } => {
                        write!(f, "{major}.{minor}{}", if *free_threaded { "t" } else { "" })
                    }
                    VersionRequest::Exact(v) => write!(f, "{v}"),
                    VersionRequest::Specifiers(s) => write!(f, "{s}"),
                }
            }
            Self::Path(p) => write!(f, "{}", p.display()),
            Self::Command(c) => f.write_str(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(i: Option<Implementation>, version: VersionRequest) -> PythonRequest {
        PythonRequest::Version { implementation: i, version }
    }
    fn mm(major: u64, minor: u64) -> VersionRequest {
        VersionRequest::MajorMinor { major, minor, free_threaded: false }
    }

    #[test]
    fn request_forms() {
        use Implementation::*;
        let cases: Vec<(&str, PythonRequest)> = vec![
            ("3", v(None, VersionRequest::Major(3))),
            ("3.12", v(None, mm(3, 12))),
            ("312", v(None, mm(3, 12))),
            ("3.12.1", v(None, VersionRequest::Exact(Version::from_str("3.12.1").unwrap()))),
            ("python3.12", v(None, mm(3, 12))),
            ("python", PythonRequest::Command("python".into())),
            ("python3", PythonRequest::Command("python3".into())),
            ("pypy3", PythonRequest::Command("pypy3".into())),
            ("cpython3.12", v(Some(CPython), mm(3, 12))),
            ("cpython@3.12", v(Some(CPython), mm(3, 12))),
            ("CPython@3.12", v(Some(CPython), mm(3, 12))),
            ("cp312", v(Some(CPython), mm(3, 12))),
            ("pypy", PythonRequest::Command("pypy".into())),
            ("pypy@3", v(Some(PyPy), VersionRequest::Major(3))),
            ("pypy3.10", v(Some(PyPy), mm(3, 10))),
            ("pp310", v(Some(PyPy), mm(3, 10))),
            ("3.13t", v(None, VersionRequest::MajorMinor { major: 3, minor: 13, free_threaded: true })),
            ("3.13.0rc1", v(None, VersionRequest::Exact(Version::from_str("3.13.0rc1").unwrap()))),
            (
                ">=3.10,<3.13",
                v(None, VersionRequest::Specifiers(VersionSpecifiers::from_str(">=3.10,<3.13").unwrap())),
            ),
            ("/usr/bin/python3", PythonRequest::Path("/usr/bin/python3".into())),
            ("./venv", PythonRequest::Path("./venv".into())),
            ("..", PythonRequest::Path("..".into())),
            ("python-custom", PythonRequest::Command("python-custom".into())),
            ("", PythonRequest::Default),
        ];
        for (input, expected) in cases {
            assert_eq!(PythonRequest::parse(input).unwrap(), expected, "{input}");
        }
    }

    #[test]
    fn bad_requests() {
        for input in [">=banana", "python3.x.y!", "a b"] {
            assert!(PythonRequest::parse(input).is_err(), "{input}");
        }
    }
}
