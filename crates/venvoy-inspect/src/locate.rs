//! Where `import NAME` comes from in an env, and what it shadows: runs the
//! env's own Python with the embedded `locate.py` (the only honest way),
//! with none of the caller's `PYTHON*` variables unless asked for.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::error::InspectError;

const SCRIPT: &str = include_str!("locate.py");

/// Where a `sys.path` entry comes from.
#[derive(Debug, Clone, Deserialize)]
pub struct PathEntry {
    pub path: String,
    /// `script-dir`, `pythonpath`, `stdlib`, `site-packages`,
    /// `system-site-packages`, `user-site`, `pth` or `other`.
    pub kind: String,
    /// The `.pth` file that added it.
    pub pth: Option<String>,
}

/// The spec `import NAME` finds.
#[derive(Debug, Clone, Deserialize)]
pub struct Found {
    pub origin: Option<String>,
    pub location: Option<String>,
    pub builtin: bool,
    pub namespace: bool,
}

/// A copy of the top-level module in one `sys.path` entry.
#[derive(Debug, Clone, Deserialize)]
pub struct Copy {
    pub index: usize,
    pub location: Option<String>,
    pub wins: bool,
}

/// The answer of `locate.py`.
#[derive(Debug, Clone, Deserialize)]
pub struct Located {
    pub module: String,
    pub executable: String,
    pub prefix: String,
    pub version: String,
    pub found: Option<Found>,
    pub error: Option<String>,
    /// The top-level name is a built-in module: every file copy is shadowed.
    pub builtin_top: bool,
    pub copies: Vec<Copy>,
    pub sys_path: Vec<PathEntry>,
}

/// Run `python` to find `module`, in `cwd`, with exactly the variables in
/// `env` (the caller leaves out `PYTHON*`). `pythonpath`: the caller's
/// `PYTHONPATH`, when the user asked to include it.
pub fn locate(
    python: &Path,
    module: &str,
    cwd: &Path,
    env: &[(OsString, OsString)],
    pythonpath: Option<&OsString>,
) -> Result<Located, InspectError> {
    let valid = !module.is_empty()
        && module.split('.').all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        });
    if !valid {
        return Err(InspectError::BadModule { module: module.to_string() });
    }
    let mut cmd = Command::new(python);
    cmd.env_clear().envs(env.iter().filter(|(k, _)| !k.to_string_lossy().starts_with("PYTHON")).cloned());
    match pythonpath {
        Some(pp) => {
            cmd.env("PYTHONPATH", pp);
        }
        None => {
            cmd.arg("-E");
        }
    }
    cmd.arg("-B");
    let out = cmd
        .arg("-c")
        .arg(SCRIPT)
        .arg(module)
        .current_dir(cwd)
        .output()
        .map_err(|source| InspectError::Spawn { python: python.to_path_buf(), source })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().rev().find(|l| l.starts_with('{'));
    match line.and_then(|l| serde_json::from_str::<Located>(l).ok()) {
        Some(located) if out.status.success() => Ok(located),
        _ => Err(InspectError::LocateFailed {
            python: python.to_path_buf(),
            module: module.to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("no output").to_string(),
        }),
    }
}

/// The `sys.path` entry of a copy, for display.
pub fn entry_of(located: &Located, copy: &Copy) -> Option<PathBuf> {
    located.sys_path.get(copy.index).map(|e| PathBuf::from(&e.path))
}
