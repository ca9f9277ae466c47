//! What venvoy knows about one Python interpreter: the facts its query reported.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::source::Source;

/// The oldest Python venvoy creates environments for.
pub const MINIMUM_VERSION: (u64, u64) = (3, 7);

/// A Python implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Implementation {
    #[serde(rename = "cpython")]
    CPython,
    #[serde(rename = "pypy")]
    PyPy,
    #[serde(other)]
    Other,
}

impl Implementation {
    /// The name used in `pyvenv.cfg` and in listings (`CPython`, `PyPy`).
    pub fn display_name(self) -> &'static str {
        match self {
            Self::CPython => "CPython",
            Self::PyPy => "PyPy",
            Self::Other => "Python",
        }
    }

    /// The lower-case name used in requests and JSON (`cpython`, `pypy`).
    pub fn key(self) -> &'static str {
        match self {
            Self::CPython => "cpython",
            Self::PyPy => "pypy",
            Self::Other => "other",
        }
    }
}

impl fmt::Display for Implementation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// Where a venv made by this interpreter keeps its files, relative to the env root,
/// as the interpreter's own `sysconfig` scheme says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenvScheme {
    /// The sysconfig scheme the paths came from (`venv`, `nt`, `pypy`), or
    /// `stdlib-venv` for the fixed layout of `Lib/venv` before 3.11.
    pub scheme: String,
    pub purelib: PathBuf,
    pub platlib: PathBuf,
    pub scripts: PathBuf,
    pub include: PathBuf,
    #[serde(default)]
    pub data: PathBuf,
}

/// The raw answer of `query.py`, as it is cached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryInfo {
    pub implementation: Implementation,
    /// `sys.version_info`: major, minor, micro, releaselevel, serial.
    pub version_info: (u64, u64, u64, String, u64),
    /// `sys.executable` as the interpreter saw it.
    pub executable: PathBuf,
    pub supported: bool,
    /// `platform.machine()`: `x86_64`, `aarch64`, …
    #[serde(default)]
    pub machine: String,
    #[serde(flatten)]
    pub details: Option<QueryDetails>,
}

/// Everything beyond the version, reported only by supported interpreters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryDetails {
    pub implementation_version: Option<String>,
    pub base_executable: Option<PathBuf>,
    pub prefix: PathBuf,
    pub base_prefix: PathBuf,
    pub exec_prefix: PathBuf,
    pub base_exec_prefix: PathBuf,
    pub is_venv: bool,
    pub pointer_size: u32,
    pub sys_platform: String,
    pub os_name: String,
    pub platform_tag: String,
    pub abiflags: String,
    pub gil_disabled: bool,
    pub shared_libpython: bool,
    pub libdir: Option<PathBuf>,
    pub ldlibrary: Option<String>,
    #[serde(default)]
    pub instsoname: Option<String>,
    pub soabi: Option<String>,
    pub stdlib: PathBuf,
    pub venv_scheme: VenvScheme,
    pub ensurepip_wheels: Vec<PathBuf>,
    pub externally_managed: bool,
}

/// A Python interpreter found on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpreter {
    /// The interpreter's file, symlinks resolved.
    pub path: PathBuf,
    /// Where discovery found it, first source first.
    pub sources: Vec<Source>,
    /// The name it was first found under (e.g. `/usr/bin/python3`).
    pub found_as: PathBuf,
    #[serde(flatten)]
    pub info: QueryInfo,
}

impl Interpreter {
    pub fn implementation(&self) -> Implementation {
        self.info.implementation
    }

    /// `major.minor.micro`, plus the pre-release part when there is one (`3.13.0rc1`).
    pub fn version_string(&self) -> String {
        let (major, minor, micro, level, serial) = &self.info.version_info;
        let pre = match level.as_str() {
            "alpha" => format!("a{serial}"),
            "beta" => format!("b{serial}"),
            "candidate" => format!("rc{serial}"),
            _ => String::new(),
        };
        format!("{major}.{minor}.{micro}{pre}")
    }

    /// The PEP 440 version, for matching specifiers.
    pub fn version(&self) -> pep440_rs::Version {
        // version_string() is always valid PEP 440.
        self.version_string().parse().unwrap_or_else(|_| pep440_rs::Version::new([self.info.version_info.0]))
    }

    pub fn major(&self) -> u64 {
        self.info.version_info.0
    }

    pub fn minor(&self) -> u64 {
        self.info.version_info.1
    }

    pub fn micro(&self) -> u64 {
        self.info.version_info.2
    }

    /// Whether venvoy can make environments from it (3.7 or newer).
    pub fn is_supported(&self) -> bool {
        self.info.supported && (self.major(), self.minor()) >= MINIMUM_VERSION && self.info.details.is_some()
    }

    /// The details of a supported interpreter.
    pub fn details(&self) -> Option<&QueryDetails> {
        self.info.details.as_ref()
    }

    pub fn is_free_threaded(&self) -> bool {
        self.details().is_some_and(|d| d.gil_disabled)
    }

    pub fn is_venv(&self) -> bool {
        self.details().is_some_and(|d| d.is_venv)
    }

    /// `x86_64`, `aarch64`, …
    pub fn architecture(&self) -> &str {
        if self.info.machine.is_empty() { "unknown" } else { &self.info.machine }
    }

    /// A short label, e.g. `CPython 3.12.1` or `CPython 3.13.0t`.
    pub fn label(&self) -> String {
        let t = if self.is_free_threaded() { "t" } else { "" };
        format!("{} {}{t}", self.implementation(), self.version_string())
    }

    pub fn primary_source(&self) -> Option<Source> {
        self.sources.first().copied()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}
