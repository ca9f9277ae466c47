//! What the caller wants made: the plain, fully resolved settings of one `create`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Extra files to put into the venv before it appears at its path
    /// (seeding pip), so the rename that publishes the venv covers them too.
    pub seed: Option<SeedHook>,
}

/// The result of a [`SeedHook`].
pub type SeedResult = Result<(), venvoy_fs::BoxedHint>;

/// Called with the directory being built (a temporary sibling of the target,
/// or the target itself when working in place) and the venv's final path,
/// which is what anything written must refer to (script shebangs).
#[derive(Clone)]
pub struct SeedHook(pub Arc<SeedFn>);

/// The function inside a [`SeedHook`].
pub type SeedFn = dyn Fn(&Path, &Path) -> SeedResult + Send + Sync;

impl SeedHook {
    /// Wrap a function.
    pub fn new(f: impl Fn(&Path, &Path) -> SeedResult + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }
}

impl fmt::Debug for SeedHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SeedHook(..)")
    }
}
