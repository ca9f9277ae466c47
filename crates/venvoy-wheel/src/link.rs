//! How files get from the unpacked image into an environment: hardlink,
//! copy, or copy-on-write clone (reflink), falling back to a copy.
//!
//! Hardlinks share one inode between the cache and every env. That is safe
//! because pip, uv and venvoy never edit installed files in place: pip's
//! installer unlinks an existing file before writing the new one
//! (`pip/_internal/operations/install/wheel.py`, `ZipBackedFile.save`), and
//! uninstall moves files away rather than truncating them (the test
//! `pip_reinstall_in_one_env_leaves_other_envs_alone` checks this with a real
//! `pip install --force-reinstall`). Python writes
//! `__pycache__` files next to sources by atomic rename into directories that
//! belong to the env (directories are never shared, only files). A tool that
//! rewrites a hardlinked file in place *would* change every env sharing it;
//! the cache detects that by hash and rebuilds its image, and `Copy` or
//! `Clone` avoid sharing altogether.

use std::path::Path;

pub use venvoy_fs::link::{LinkMode, Linked, Linker};

use crate::InstallError;

/// Materialise `src` at `dst` (which must not exist) through `linker`.
pub(crate) fn link_file(linker: &Linker, src: &Path, dst: &Path) -> Result<Linked, InstallError> {
    linker.place(src, dst).map_err(InstallError::io("cannot link to", dst))
}
