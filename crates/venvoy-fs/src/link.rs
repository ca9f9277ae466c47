//! Putting a file at a new name: copy-on-write clone (reflink), hardlink or
//! copy, for the wheel installer and for `clone`/`move`.
//!
//! Clones go through the `reflink-copy` crate (`FICLONE` on Linux,
//! `clonefile` on macOS), so no ioctl number is written here. What the file
//! system cannot do is learned once per [`Linker`] and not tried again.

use std::io;
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};

/// How a file gets to its new name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LinkMode {
    /// Hardlink (the installer's default); copy when the source is on
    /// another file system.
    #[default]
    Hardlink,
    /// Always copy the bytes.
    Copy,
    /// Copy-on-write clone where the file system supports it, else copy:
    /// nothing is shared.
    Clone,
    /// Clone, else hardlink, else copy (what `venvoy clone` uses).
    Auto,
}

impl FromStr for LinkMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "hardlink" => Ok(Self::Hardlink),
            "copy" => Ok(Self::Copy),
            "clone" | "reflink" => Ok(Self::Clone),
            "auto" => Ok(Self::Auto),
            other => Err(format!("unknown link mode `{other}` (expected hardlink, copy, clone or auto)")),
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    /// A copy-on-write clone was made.
    Cloned,
    /// A hardlink was made.
    Hardlinked,
    /// The bytes were copied.
    Copied,
}

/// Places files with a [`LinkMode`], remembering what does not work here;
/// may be shared by threads.
#[derive(Debug)]
pub struct Linker {
    try_clone: AtomicBool,
    try_hardlink: AtomicBool,
}

impl Linker {
    pub fn new(mode: LinkMode) -> Self {
        Self {
            try_clone: AtomicBool::new(matches!(mode, LinkMode::Clone | LinkMode::Auto)),
            try_hardlink: AtomicBool::new(matches!(mode, LinkMode::Hardlink | LinkMode::Auto)),
        }
    }

    /// Put `src` at `dst`, which must not exist. An existing `dst` is an
    /// error, never copied over: it may be a hardlink shared with other envs.
    pub fn place(&self, src: &Path, dst: &Path) -> io::Result<Linked> {
        if self.try_clone.load(Ordering::Relaxed) {
            match reflink(src, dst) {
                Ok(true) => return Ok(Linked::Cloned),
                Ok(false) => self.try_clone.store(false, Ordering::Relaxed),
                Err(e) => return Err(e),
            }
        }
        if self.try_hardlink.load(Ordering::Relaxed) {
            match std::fs::hard_link(src, dst) {
                Ok(()) => return Ok(Linked::Hardlinked),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
                Err(e) if e.kind() == io::ErrorKind::CrossesDevices => {
                    self.try_hardlink.store(false, Ordering::Relaxed)
                }
                // Too many links, or a file the kernel will not link for us: copy this one.
                Err(e) => tracing::debug!("cannot hardlink `{}` ({e}); copying", src.display()),
            }
        }
        if std::fs::symlink_metadata(dst).is_ok() {
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, "the target exists"));
        }
        std::fs::copy(src, dst)?;
        Ok(Linked::Copied)
    }
}

/// A copy-on-write clone of `src` at the new name `dst`, with `src`'s mode.
/// `Ok(false)` means the file system (or platform) cannot clone: nothing is
/// left at `dst` and the caller copies instead.
pub fn reflink(src: &Path, dst: &Path) -> io::Result<bool> {
    match reflink_copy::reflink(src, dst) {
        Ok(()) => Ok(true),
        Err(e) if cannot_clone(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether a clone failed because the file system cannot clone (rather
/// than because of the files).
fn cannot_clone(e: &io::Error) -> bool {
    use rustix::io::Errno;
    if matches!(e.kind(), io::ErrorKind::Unsupported | io::ErrorKind::CrossesDevices) {
        return true;
    }
    Errno::from_io_error(e).is_some_and(|n| {
        [Errno::OPNOTSUPP, Errno::NOTSUP, Errno::XDEV, Errno::INVAL, Errno::NOTTY, Errno::PERM].contains(&n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn every_mode_gives_the_same_bytes_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::write(&src, b"hello").unwrap();
        std::fs::set_permissions(&src, std::fs::Permissions::from_mode(0o751)).unwrap();
        let modes = [LinkMode::Hardlink, LinkMode::Copy, LinkMode::Clone, LinkMode::Auto];
        for (i, mode) in modes.into_iter().enumerate() {
            let dst = dir.path().join(format!("dst{i}"));
            let how = Linker::new(mode).place(&src, &dst).unwrap();
            assert_eq!(std::fs::read(&dst).unwrap(), b"hello");
            let meta = std::fs::metadata(&dst).unwrap();
            assert_eq!(meta.mode() & 0o777, 0o751, "{mode:?}");
            let shared = meta.ino() == std::fs::metadata(&src).unwrap().ino();
            assert_eq!(shared, how == Linked::Hardlinked, "{mode:?}");
            match mode {
                LinkMode::Copy => assert_eq!(how, Linked::Copied),
                LinkMode::Clone => assert_ne!(how, Linked::Hardlinked),
                _ => {}
            }
        }
        assert_eq!("copy".parse::<LinkMode>(), Ok(LinkMode::Copy));
        assert_eq!("reflink".parse::<LinkMode>(), Ok(LinkMode::Clone));
        assert!("symlink".parse::<LinkMode>().is_err());
    }

    #[test]
    fn an_existing_target_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        let dst = dir.path().join("dst");
        std::fs::write(&src, b"new").unwrap();
        for mode in [LinkMode::Hardlink, LinkMode::Copy, LinkMode::Clone, LinkMode::Auto] {
            std::fs::write(&dst, b"old").unwrap();
            let err = Linker::new(mode).place(&src, &dst).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::AlreadyExists, "{mode:?}");
            assert_eq!(std::fs::read(&dst).unwrap(), b"old", "{mode:?}");
        }
    }

    #[test]
    fn a_failed_clone_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::write(&src, b"x").unwrap();
        let dst = dir.path().join("dst");
        if !reflink(&src, &dst).unwrap() {
            assert!(!dst.exists());
        }
    }
}
