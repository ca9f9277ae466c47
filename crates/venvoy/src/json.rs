//! The pieces of `--json` output that more than one command prints, built
//! from the libraries' types so that the libraries never decide a shape.
//!
//! One vocabulary of keys across commands (README, "JSON output"):
//! `path` is the path of the thing an object describes (an env's path in
//! every env object); `python_version` is always a Python version (`3.12.1`);
//! `version` is only the version of the thing an object names (a package,
//! a tool, venvoy itself); `implementation` is always the lowercase key
//! (`cpython`, `pypy`, `graalpy`), as `-p` takes it. Each command's own shape lives next to it, in
//! `commands/<name>.rs`, and every shape is pinned by a snapshot
//! (`tests/it/json.rs`).

use std::path::Path;

use serde::Serialize;
use venvoy_inspect::check::Finding;
use venvoy_inspect::creator::Creator;

/// An env's base interpreter (`info`, `doctor`).
#[derive(Serialize)]
pub struct Base<'a> {
    pub path: Option<&'a Path>,
    pub exists: bool,
    /// The base's own version, asked of it (through the query cache).
    pub python_version: Option<&'a str>,
    /// Whether that version still equals the env's (`pyvenv.cfg`'s).
    pub version_matches: Option<bool>,
    /// Why the base was not run (then its version is unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_run: Option<&'a str>,
}

/// A failed doctor check (`doctor`).
#[derive(Serialize)]
pub struct Check<'a> {
    pub id: &'static str,
    pub message: &'a str,
    pub hint: &'a str,
    pub fixable: bool,
}

impl<'a> From<&'a Finding> for Check<'a> {
    fn from(f: &'a Finding) -> Self {
        Self { id: f.id.id(), message: &f.message, hint: &f.hint, fixable: f.fixable }
    }
}

/// The tool that made an env (`info`).
#[derive(Serialize)]
pub struct MadeBy<'a> {
    pub tool: &'static str,
    pub version: Option<&'a str>,
}

impl<'a> From<&'a Creator> for MadeBy<'a> {
    fn from(c: &'a Creator) -> Self {
        Self { tool: c.tool, version: c.version.as_deref() }
    }
}

/// What a copy did, file by file (`clone`, `move`).
#[derive(Serialize)]
pub struct Files {
    /// Files placed unchanged, by how.
    pub reflinked: u64,
    pub hardlinked: u64,
    pub copied: u64,
    /// Files written fresh with the new path.
    pub rewritten: u64,
    pub symlinks: u64,
    /// `__pycache__` directories not carried over.
    pub caches_dropped: u64,
}

impl From<&venvoy_relocate::Stats> for Files {
    fn from(s: &venvoy_relocate::Stats) -> Self {
        Self {
            reflinked: s.reflinked,
            hardlinked: s.hardlinked,
            copied: s.copied,
            rewritten: s.rewritten,
            symlinks: s.symlinks,
            caches_dropped: s.caches_dropped,
        }
    }
}

/// A package installed into an env (`create --seed`, `seed`).
#[derive(Serialize)]
pub struct Installed {
    pub name: String,
    pub version: String,
    /// `cache`, `ensurepip` or `index`.
    pub origin: &'static str,
}

/// A path a command could not look at or act on, and why (`scan`, `gc`).
#[derive(Serialize)]
pub struct PathProblem<'a> {
    pub path: &'a Path,
    pub reason: &'a str,
}

/// An implementation's name as `pyvenv.cfg` or `sys.implementation` spells
/// it (`CPython`), as the lowercase key every shape uses (`cpython`).
pub fn implementation(name: Option<&str>) -> Option<String> {
    name.map(str::to_ascii_lowercase)
}
