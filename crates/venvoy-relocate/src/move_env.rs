//! `move`: the env rebuilt at the destination (hardlinks on the same file
//! system, so no data is copied; a copy across file systems), published
//! with one rename, and only then the source renamed aside and deleted.
//!
//! A kill at any moment leaves the source untouched and the destination
//! absent, or the destination complete (and the source still there, or
//! being deleted from its hidden aside name). Renaming the source first and
//! rewriting it in place would be faster but could leave a half-rewritten
//! env after a kill, which no rollback can undo.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use venvoy_fs::atomic::{aside_path, clean_stale_siblings};

use crate::checks;
use crate::clone::copy_to;
use crate::error::RelocateError;
use crate::link::LinkMode;
use crate::tree::Stats;

/// The result of [`move_env`].
#[derive(Debug)]
pub struct Moved {
    pub root: PathBuf,
    pub stats: Stats,
    /// Whether source and destination are on one file system (no data copied).
    pub same_file_system: bool,
    /// The old files could not all be deleted: what is left, and why.
    pub leftover: Option<(PathBuf, std::io::Error)>,
}

/// Move the env at `source` to `dest`, which must not exist.
pub fn move_env(source: &Path, dest: &Path) -> Result<Moved, RelocateError> {
    let canonical = checks::source(source)?;
    let dest = checks::dest(source, &canonical, dest)?;
    let meta = std::fs::symlink_metadata(source).map_err(RelocateError::io("read", source))?;
    if meta.file_type().is_symlink() {
        // Moving the link would leave the env where it is; moving the env would break the link.
        return Err(RelocateError::SourceIsSymlink { path: source.to_path_buf() });
    }
    // The source is deleted at the end: the one deletion gate decides now, before any work.
    venvoy_fs::check_deletable(source).map_err(|refusal| RelocateError::SourceNotDeletable { refusal })?;
    let source_parent = source.parent().unwrap_or(Path::new("/"));
    let dest_parent = dest.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(dest_parent).map_err(RelocateError::io("create", dest_parent))?;
    let dest_dev = std::fs::metadata(dest_parent).map_err(RelocateError::io("read", dest_parent))?.dev();
    let same_file_system = dest_dev == meta.dev();
    clean_stale_siblings(source);
    // Fail before any work when the source cannot be taken away.
    let probe = tempfile::Builder::new()
        .prefix(&aside_path(source).file_name().unwrap_or_default().to_os_string())
        .tempdir_in(source_parent)
        .map_err(RelocateError::io("remove", source))?;
    drop(probe);

    let link = if same_file_system { LinkMode::Hardlink } else { LinkMode::Copy };
    let cloned = copy_to(source, &canonical, &dest, link)?;

    let aside = aside_path(source);
    if let Err(e) = fs_err::rename(source, &aside) {
        // Roll back: the new copy goes, the source stays as it was.
        let _ = std::fs::remove_dir_all(&cloned.root);
        return Err(RelocateError::io("remove", source)(e));
    }
    let leftover = std::fs::remove_dir_all(&aside).err().map(|e| (aside, e));
    Ok(Moved { root: cloned.root, stats: cloned.stats, same_file_system, leftover })
}
