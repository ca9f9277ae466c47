//! What the caller wants made: the plain, fully resolved settings of one `create`.

use std::path::PathBuf;

/// How the interpreter gets into the venv's `bin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkMode {
    /// Symlinks to the base interpreter (the default on POSIX, as in the stdlib).
    #[default]
    Symlinks,
    /// Copies of the interpreter, and of a shared libpython it needs.
    Copies,
}

/// What to do when the target already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Existing {
    /// Use an empty directory; refuse a venv or a non-empty directory.
    #[default]
    Refuse,
    /// Replace an existing venv (or, with `force`, any directory) with a new, empty venv.
    Clear { force: bool },
    /// Re-point an existing venv to a new interpreter, keeping site-packages.
    Upgrade,
    /// Create the venv among the files already in the directory.
    AllowExisting,
}

/// Everything `create` needs besides the interpreter.
#[derive(Debug, Clone)]
pub struct CreateOptions {
    /// Where the venv goes; absolute.
    pub target: PathBuf,
    /// The prompt, already resolved (`.` turned into a directory name); `None`
    /// means the venv directory's name, without a `prompt` key in `pyvenv.cfg`.
    pub prompt: Option<String>,
    pub system_site_packages: bool,
    pub link_mode: LinkMode,
    pub existing: Existing,
    /// Write `.gitignore` (`*`) into the venv.
    pub scm_ignore: bool,
    pub relocatable: bool,
    /// The `command` key of `pyvenv.cfg`: how to make this venv again.
    pub command: String,
    /// The `venvoy` key of `pyvenv.cfg`.
    pub venvoy_version: String,
}
