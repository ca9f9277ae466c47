//! Reading files that come from an env or a project, which venvoy does not
//! control: only regular files are opened (never a FIFO, a device or a
//! socket; a symlink only when it leads to a regular file), without blocking,
//! and never more than a cap that fits the format.

use std::ffi::CStr;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{FileType, Mode, OFlags};

/// Cap for small formats: `pyvenv.cfg`, `.venv` pointer files, version files.
pub const SMALL: u64 = 64 * 1024;
/// Cap for package metadata (`METADATA`, `entry_points.txt`, `direct_url.json`, `.pth`).
pub const METADATA: u64 = 16 * 1024 * 1024;
/// Cap for `RECORD` files and other listings that grow with a package.
pub const LARGE: u64 = 128 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("`{}` is a {kind}, not a regular file", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("`{}` is larger than {cap} bytes", path.display())]
    TooLarge { path: PathBuf, cap: u64 },
    #[error("cannot read `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl ReadError {
    /// Whether the file (or a directory on its path) does not exist.
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::Io { source, .. } => {
                matches!(source.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory)
            }
            _ => false,
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::NotRegular { path, .. } | Self::TooLarge { path, .. } | Self::Io { path, .. } => path,
        }
    }

    fn io(path: &Path, source: io::Error) -> Self {
        Self::Io { path: path.to_path_buf(), source }
    }
}

impl crate::Hint for ReadError {
    /// What the user can do about it.
    fn hint(&self) -> Option<String> {
        match self {
            Self::NotRegular { .. } | Self::TooLarge { .. } => Some(format!(
                "venvoy reads only regular files of a sensible size here; replace or remove `{}`",
                self.path().display()
            )),
            Self::Io { .. } => None,
        }
    }
}

fn kind_name(file_type: FileType) -> &'static str {
    match file_type {
        FileType::Directory => "directory",
        FileType::Fifo => "FIFO",
        FileType::CharacterDevice => "character device",
        FileType::BlockDevice => "block device",
        FileType::Socket => "socket",
        FileType::Symlink => "symlink",
        _ => "special file",
    }
}

/// Open `path` for reading if it is a regular file (following symlinks),
/// without ever blocking on a FIFO or a device, and without changing its
/// access time where the file system allows.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    open_sized(path).map(|(file, _)| file)
}

/// [`open_regular`], with the file's size.
fn open_sized(path: &Path) -> Result<(File, u64), ReadError> {
    let fd = open_noatime(|flags| rustix::fs::open(path, flags, Mode::empty()))
        .map_err(|e| ReadError::io(path, e.into()))?;
    regular_sized(fd, || path.to_path_buf())
}

/// [`open_sized`] for `rel` under the open directory `dir`: a short path
/// walk when many files of one directory are read. `path` gives the full
/// path, which names the file in errors (made only for an error).
pub fn open_regular_at(
    dir: impl AsFd,
    rel: &CStr,
    path: impl Fn() -> PathBuf,
) -> Result<(File, u64), ReadError> {
    let fd = open_noatime(|flags| rustix::fs::openat(&dir, rel, flags, Mode::empty()))
        .map_err(|e| ReadError::io(&path(), e.into()))?;
    regular_sized(fd, path)
}

const READ_FLAGS: OFlags =
    OFlags::RDONLY.union(OFlags::NONBLOCK).union(OFlags::CLOEXEC).union(OFlags::NOCTTY);

/// Open with `O_NOATIME`: venvoy looking at an env is not a use of it
/// (`scan` reads the access time of `pyvenv.cfg` as "last used"). Only the
/// file's owner (or root) may ask for it, so retry without for other files.
fn open_noatime(open: impl Fn(OFlags) -> rustix::io::Result<OwnedFd>) -> rustix::io::Result<OwnedFd> {
    match open(READ_FLAGS | OFlags::NOATIME) {
        Err(rustix::io::Errno::PERM) => open(READ_FLAGS),
        other => other,
    }
}

/// `fd` as a file, with its size, if it is a regular file; `path` names it in errors.
fn regular_sized(fd: OwnedFd, path: impl Fn() -> PathBuf) -> Result<(File, u64), ReadError> {
    let stat = rustix::fs::fstat(&fd).map_err(|e| ReadError::io(&path(), e.into()))?;
    let file_type = FileType::from_raw_mode(stat.st_mode);
    if file_type != FileType::RegularFile {
        return Err(ReadError::NotRegular { path: path(), kind: kind_name(file_type) });
    }
    Ok((File::from(fd), u64::try_from(stat.st_size).unwrap_or(0)))
}

/// The bytes of the regular file `path`, refusing files larger than `cap`.
/// The buffer is sized from the file's size, so the usual file takes one
/// `read` (and one more that finds the end), not a dozen growing ones.
pub fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let (file, size) = open_sized(path)?;
    read_opened(file, path, cap, size)
}

/// The bytes of `file`, opened with [`open_regular`] from `path`, refusing
/// more than `cap`; `size` is what its metadata says (the buffer starts at
/// that size; a file that grew meanwhile is still read to its end or the cap).
pub fn read_opened(file: File, path: &Path, cap: u64, size: u64) -> Result<Vec<u8>, ReadError> {
    let start = usize::try_from(size.min(cap)).unwrap_or(0).saturating_add(1);
    let mut bytes = Vec::with_capacity(start);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| ReadError::io(path, e))?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { path: path.to_path_buf(), cap });
    }
    Ok(bytes)
}

/// The text of the regular file `path` (invalid UTF-8 replaced), refusing
/// files larger than `cap`.
pub fn read_to_string_capped(path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read_capped(path, cap)?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Whether `path` is a regular file (following symlinks), without opening it.
pub fn is_regular_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_within_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "hello").unwrap();
        assert_eq!(read_to_string_capped(&path, 5).unwrap(), "hello");
        assert!(matches!(read_capped(&path, 4), Err(ReadError::TooLarge { cap: 4, .. })));
    }

    #[test]
    fn refuses_a_fifo_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &path, Mode::from_raw_mode(0o644)).unwrap();
        let err = read_capped(&path, SMALL).unwrap_err();
        assert!(matches!(err, ReadError::NotRegular { kind: "FIFO", .. }), "{err}");
    }

    #[test]
    fn refuses_a_device_and_a_directory() {
        assert!(matches!(
            read_capped(Path::new("/dev/zero"), SMALL),
            Err(ReadError::NotRegular { kind: "character device", .. })
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_capped(dir.path(), SMALL),
            Err(ReadError::NotRegular { kind: "directory", .. })
        ));
    }

    #[test]
    fn follows_a_symlink_to_a_regular_file_only() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t");
        std::fs::write(&target, "x").unwrap();
        let link = dir.path().join("l");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read_capped(&link, SMALL).unwrap(), b"x");
        let dev = dir.path().join("d");
        std::os::unix::fs::symlink("/dev/zero", &dev).unwrap();
        assert!(read_capped(&dev, SMALL).is_err());
        assert!(read_capped(&dir.path().join("missing"), SMALL).unwrap_err().is_not_found());
    }

    #[test]
    fn a_wrong_size_never_changes_what_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let text: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        // The size from the metadata, then sizes a file that changed since would give.
        for size in [100_000, 0, 1, 99_999, 100_001, u64::MAX] {
            let file = open_regular(&path).unwrap();
            assert_eq!(read_opened(file, &path, SMALL * 2, size).unwrap(), text, "size {size}");
            let file = open_regular(&path).unwrap();
            let err = read_opened(file, &path, 99_999, size).unwrap_err();
            assert!(matches!(err, ReadError::TooLarge { cap: 99_999, .. }), "size {size}: {err}");
        }
        std::fs::write(&path, "").unwrap();
        assert_eq!(read_capped(&path, SMALL).unwrap(), b"");
    }
}
