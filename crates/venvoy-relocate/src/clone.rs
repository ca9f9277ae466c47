//! `clone`: a new, independent env at another path, built in a hidden
//! sibling of the destination and renamed into place in one step, so the
//! destination is complete or absent whatever happens; the source is only read.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use venvoy_python::PyvenvCfg;
use venvoy_venv::atomic::{clean_stale_siblings, rename_noreplace, temp_sibling};

use crate::activation;
use crate::checks;
use crate::error::RelocateError;
use crate::link::LinkMode;
use crate::prefix::Prefixes;
use crate::tree::{Stats, TreeCopy};

/// The result of [`clone_env`] (and of the copy inside a move).
#[derive(Debug, Clone)]
pub struct Cloned {
    /// The new env's root.
    pub root: PathBuf,
    pub stats: Stats,
}

/// Copy the env at `source` to `dest`, which must not exist. Unchanged
/// files are placed with `link`; every file naming the old location is
/// written fresh with the new one.
pub fn clone_env(source: &Path, dest: &Path, link: LinkMode) -> Result<Cloned, RelocateError> {
    let canonical = checks::source(source)?;
    let dest = checks::dest(source, &canonical, dest)?;
    copy_to(source, &canonical, &dest, link)
}

/// The shared part of clone and move: build aside, then publish.
pub(crate) fn copy_to(
    source: &Path,
    canonical: &Path,
    dest: &Path,
    link: LinkMode,
) -> Result<Cloned, RelocateError> {
    let parent = dest.parent().unwrap_or(Path::new("/"));
    fs_err::create_dir_all(parent).map_err(RelocateError::io("create", parent))?;
    clean_stale_siblings(dest);
    let staging = temp_sibling(dest).map_err(RelocateError::io("create a directory in", parent))?;
    let stats = build(source, canonical, staging.path(), dest, link)?;
    match rename_noreplace(staging.path(), dest) {
        Ok(()) => {
            let _ = staging.keep();
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(RelocateError::DestExists { path: dest.to_path_buf() });
        }
        Err(e) => return Err(RelocateError::io("create", dest)(e)),
    }
    tracing::debug!("{stats:?}");
    Ok(Cloned { root: dest.to_path_buf(), stats })
}

/// Fill `staging` with the env at `source` as it must look at `dest`.
fn build(
    source: &Path,
    canonical: &Path,
    staging: &Path,
    dest: &Path,
    link: LinkMode,
) -> Result<Stats, RelocateError> {
    let cfg = PyvenvCfg::read(source).map_err(RelocateError::io("read", source.join("pyvenv.cfg")))?;
    let scripts = venvoy_env::scripts_dir(source)
        .and_then(|d| d.file_name().map(OsStr::to_os_string))
        .unwrap_or_else(|| "bin".into());
    let prefixes = Prefixes::new([source.to_path_buf(), canonical.to_path_buf()], dest);
    let activation =
        activation::render(dest, &scripts.to_string_lossy(), &cfg, activation::is_relocatable(&cfg));
    TreeCopy { prefixes: &prefixes, scripts_dir: &scripts, activation: &activation, link }
        .run(source, staging)
}
