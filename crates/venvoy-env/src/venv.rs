//! What counts as a venv: a directory with `pyvenv.cfg` and a scripts
//! directory (`bin`, or `Scripts` on Windows). Anything else is never deleted.

use std::path::{Path, PathBuf};

/// Whether `dir` is a venv made by any tool (venv, virtualenv, uv, venvoy, …).
pub fn is_venv(dir: &Path) -> bool {
    dir.join("pyvenv.cfg").is_file() && scripts_dir(dir).is_some()
}

/// The venv's scripts directory, if it has one.
pub fn scripts_dir(dir: &Path) -> Option<PathBuf> {
    ["bin", "Scripts"].into_iter().map(|d| dir.join(d)).find(|d| d.is_dir())
}
