//! Putting one unchanged file at its new place: a copy-on-write clone where
//! the file system can, else a hardlink, else a copy. What the file system
//! cannot do is learned once and not tried again.

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// How unchanged files get to the new env.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkMode {
    /// Reflink, else hardlink, else copy (the default for `clone`).
    #[default]
    Auto,
    /// Hardlink, else copy (what `move` uses: the old names are deleted after).
    Hardlink,
    /// Always copy the bytes.
    Copy,
}

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Reflinked,
    Hardlinked,
    Copied,
}

/// Places files with a [`LinkMode`], remembering what does not work here;
/// shared by the threads of a copy.
#[derive(Debug)]
pub struct Linker {
    try_reflink: AtomicBool,
    try_hardlink: AtomicBool,
}

impl Linker {
    pub fn new(mode: LinkMode) -> Self {
        Self {
            try_reflink: AtomicBool::new(mode == LinkMode::Auto),
            try_hardlink: AtomicBool::new(mode != LinkMode::Copy),
        }
    }

    /// Put `src` at `dst`, which must not exist.
    pub fn place(&self, src: &Path, dst: &Path) -> io::Result<Placed> {
        if self.try_reflink.load(Ordering::Relaxed) {
            match reflink(src, dst) {
                Ok(true) => return Ok(Placed::Reflinked),
                Ok(false) => self.try_reflink.store(false, Ordering::Relaxed),
                Err(e) => return Err(e),
            }
        }
        if self.try_hardlink.load(Ordering::Relaxed) {
            match std::fs::hard_link(src, dst) {
                Ok(()) => return Ok(Placed::Hardlinked),
                Err(e) if e.raw_os_error() == Some(libc::EXDEV) => {
                    self.try_hardlink.store(false, Ordering::Relaxed)
                }
                // Too many links, or a file the kernel will not link for us: copy this one.
                Err(e) => tracing::debug!("cannot hardlink `{}` ({e}); copying", src.display()),
            }
        }
        std::fs::copy(src, dst)?;
        Ok(Placed::Copied)
    }
}

// A copy-on-write clone, `Ok(false)` when the file system cannot: the same
// call the wheel installer uses.
use venvoy_wheel::link::reflink;

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn every_mode_gives_the_same_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::write(&src, b"hello").unwrap();
        for (i, mode) in [LinkMode::Auto, LinkMode::Hardlink, LinkMode::Copy].into_iter().enumerate() {
            let dst = dir.path().join(format!("dst{i}"));
            let placed = Linker::new(mode).place(&src, &dst).unwrap();
            assert_eq!(std::fs::read(&dst).unwrap(), b"hello");
            let shared = std::fs::metadata(&dst).unwrap().ino() == std::fs::metadata(&src).unwrap().ino();
            assert_eq!(shared, placed == Placed::Hardlinked, "{mode:?}");
            if mode == LinkMode::Copy {
                assert_eq!(placed, Placed::Copied);
            }
        }
    }
}
