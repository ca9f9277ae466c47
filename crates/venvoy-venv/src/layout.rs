//! Where everything goes in a venv made from a given interpreter: taken from
//! the interpreter's own venv scheme, as its query reported it.

use std::path::{Path, PathBuf};

use venvoy_python::{Implementation, Interpreter, QueryDetails};

use crate::error::CreateError;

/// The paths of a venv, relative to its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub scripts: PathBuf,
    pub purelib: PathBuf,
    pub platlib: PathBuf,
    pub include: PathBuf,
    /// `lib64 -> lib`, made on 64-bit POSIX other than macOS, as the stdlib does.
    pub lib64_link: bool,
    /// The name `bin/` links to the base interpreter (`python3`).
    pub main_exe: String,
    /// Further names, each a relative symlink to `main_exe` (`python`, `python3.12`, …).
    pub alias_exes: Vec<String>,
}

impl Layout {
    pub fn for_interpreter(interpreter: &Interpreter) -> Result<Self, CreateError> {
        let details =
            interpreter.details().ok_or_else(|| CreateError::NoDetails { path: interpreter.path.clone() })?;
        Ok(Self::from_details(interpreter, details))
    }

    fn from_details(interpreter: &Interpreter, d: &QueryDetails) -> Self {
        let windows = d.os_name == "nt";
        let (major, minor) = (interpreter.major(), interpreter.minor());
        let t = if d.gil_disabled { "t" } else { "" };
        let (main_exe, mut alias_exes) = if windows {
            ("python.exe".to_string(), vec!["pythonw.exe".to_string()])
        } else {
            (format!("python{major}"), vec!["python".to_string(), format!("python{major}.{minor}")])
        };
        if !windows && d.gil_disabled {
            alias_exes.push(format!("python{major}.{minor}{t}"));
        }
        if !windows && interpreter.implementation() == Implementation::PyPy {
            alias_exes.extend(["pypy".to_string(), format!("pypy{major}"), format!("pypy{major}.{minor}")]);
        }
        let s = &d.venv_scheme;
        Self {
            scripts: s.scripts.clone(),
            purelib: s.purelib.clone(),
            platlib: s.platlib.clone(),
            include: s.include.clone(),
            lib64_link: d.pointer_size == 64 && d.os_name == "posix" && d.sys_platform != "darwin",
            main_exe,
            alias_exes,
        }
    }

    /// Every name in `bin/` that runs the interpreter.
    pub fn exe_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.main_exe.as_str()).chain(self.alias_exes.iter().map(String::as_str))
    }

    /// The venv's own interpreter path under `root`.
    pub fn python(&self, root: &Path) -> PathBuf {
        root.join(&self.scripts).join(&self.main_exe)
    }
}
