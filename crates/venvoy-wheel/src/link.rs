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
use std::str::FromStr;

use crate::InstallError;

/// How installed files are materialised from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LinkMode {
    /// Hardlink (the default); copy when the cache is on another file system.
    #[default]
    Hardlink,
    /// Always copy.
    Copy,
    /// Copy-on-write clone where the file system supports it, else copy.
    Clone,
}

impl FromStr for LinkMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "hardlink" => Ok(Self::Hardlink),
            "copy" => Ok(Self::Copy),
            "clone" | "reflink" => Ok(Self::Clone),
            other => Err(format!("unknown link mode `{other}` (expected hardlink, copy or clone)")),
        }
    }
}

/// What actually happened for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    /// A hardlink was made.
    Hardlinked,
    /// A copy-on-write clone was made.
    Cloned,
    /// The bytes were copied.
    Copied,
}

/// Materialise `src` at `dst` (which must not exist) with `mode`.
pub(crate) fn link_file(src: &Path, dst: &Path, mode: LinkMode) -> Result<Linked, InstallError> {
    match mode {
        LinkMode::Hardlink => match std::fs::hard_link(src, dst) {
            Ok(()) => return Ok(Linked::Hardlinked),
            // Never fall back to copying over an existing file: it may be a
            // hardlink shared with the cache and other envs.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(InstallError::io("cannot link to", dst)(err));
            }
            Err(err) => {
                tracing::debug!("hardlink {} failed ({err}); copying", dst.display());
            }
        },
        LinkMode::Clone => match reflink(src, dst) {
            Ok(true) => return Ok(Linked::Cloned),
            Ok(false) => {}
            Err(err) => return Err(InstallError::io("cannot clone to", dst)(err)),
        },
        LinkMode::Copy => {}
    }
    std::fs::copy(src, dst).map_err(InstallError::io("cannot copy to", dst))?;
    Ok(Linked::Copied)
}

/// Try a copy-on-write clone. `Ok(false)` means "not supported here": the
/// caller copies instead, and no file is left behind.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
pub fn reflink(src: &Path, dst: &Path) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::PermissionsExt;

    const FICLONE: libc::c_ulong = 0x4004_9409;
    let source = std::fs::File::open(src)?;
    let mode = source.metadata()?.permissions().mode();
    let dest = std::fs::File::create_new(dst)?;
    // SAFETY: both descriptors are open for the duration of the call, and
    // FICLONE takes the source descriptor as its integer argument.
    let rc = unsafe { libc::ioctl(dest.as_raw_fd(), FICLONE as _, source.as_raw_fd()) };
    if rc == 0 {
        dest.set_permissions(std::fs::Permissions::from_mode(mode))?;
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    drop(dest);
    std::fs::remove_file(dst)?;
    match err.raw_os_error() {
        Some(libc::EOPNOTSUPP | libc::EXDEV | libc::EINVAL | libc::ENOTTY | libc::EPERM) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(target_os = "macos")]
#[allow(unsafe_code)]
pub fn reflink(src: &Path, dst: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let to_c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (s, d) = (to_c(src)?, to_c(dst)?);
    // SAFETY: both pointers are valid NUL-terminated strings for the call.
    let rc = unsafe { libc::clonefile(s.as_ptr(), d.as_ptr(), 0) };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::ENOTSUP | libc::EXDEV) => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
pub fn reflink(_src: &Path, _dst: &Path) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn every_mode_produces_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::write(&src, b"hello").unwrap();
        for (i, mode) in [LinkMode::Hardlink, LinkMode::Copy, LinkMode::Clone].into_iter().enumerate() {
            let dst = dir.path().join(format!("dst{i}"));
            let how = link_file(&src, &dst, mode).unwrap();
            assert_eq!(std::fs::read(&dst).unwrap(), b"hello");
            let same_inode = std::fs::metadata(&dst).unwrap().ino() == std::fs::metadata(&src).unwrap().ino();
            assert_eq!(same_inode, how == Linked::Hardlinked, "{mode:?}");
        }
        assert_eq!("copy".parse::<LinkMode>(), Ok(LinkMode::Copy));
        assert!("symlink".parse::<LinkMode>().is_err());
    }
}
