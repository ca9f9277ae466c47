//! Making a directory appear all at once: build it in a hidden sibling, then
//! rename it into place without ever replacing someone else's work.
//!
//! Temporary siblings are named `.<target>.venvoy-<pid>-<random>`; one whose
//! process is gone (killed mid-way) is removed by the next run.

#![allow(unsafe_code)]

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// The prefix of temporary siblings of `target`, without the pid part.
fn temp_prefix(target: &Path) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(target.file_name().unwrap_or_default());
    prefix.push(".venvoy-");
    prefix
}

/// A fresh, empty, hidden directory next to `target`, removed when dropped.
pub fn temp_sibling(target: &Path) -> io::Result<tempfile::TempDir> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let mut prefix = temp_prefix(target);
    prefix.push(format!("{}-", std::process::id()));
    tempfile::Builder::new().prefix(&prefix).tempdir_in(parent)
}

/// Remove temporary siblings of `target` left by venvoy processes that no longer run.
pub fn clean_stale_siblings(target: &Path) {
    let Some(parent) = target.parent() else { return };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefix = temp_prefix(target);
    let prefix = prefix.as_encoded_bytes();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(rest) = name.as_encoded_bytes().strip_prefix(prefix) else { continue };
        let pid = std::str::from_utf8(rest)
            .ok()
            .and_then(|r| r.split('-').next())
            .and_then(|p| p.parse::<u32>().ok());
        let Some(pid) = pid else { continue };
        if pid != std::process::id() && !process_alive(pid) {
            let path = entry.path();
            tracing::debug!("removing `{}`, left by an interrupted venvoy (pid {pid})", path.display());
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: kill with signal 0 only checks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// Rename `from` to `to`, failing with `AlreadyExists` if `to` exists (even
/// as an empty directory).
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        match renameat2(from, to, libc::RENAME_NOREPLACE) {
            Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) => {}
            other => return other,
        }
    }
    // Without renameat2: a check, then a rename that cannot replace a
    // non-empty directory. Two racing creates can then only both succeed if
    // the second found an empty directory, which it would have used anyway.
    if std::fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, "target exists"));
    }
    std::fs::rename(from, to)
}

/// Swap two directories atomically where the platform can; `Ok(false)` when it cannot.
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        match renameat2(a, b, libc::RENAME_EXCHANGE) {
            Ok(()) => return Ok(true),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) => {}
            Err(e) => return Err(e),
        }
    }
    let _ = (a, b);
    Ok(false)
}

#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let from = CString::new(from.as_os_str().as_bytes())?;
    let to = CString::new(to.as_os_str().as_bytes())?;
    // The system call itself, not glibc's `renameat2()` wrapper (glibc 2.28+):
    // the release binary links against glibc 2.17 (scripts/build-wheel.sh).
    // Kernels before 3.15 answer ENOSYS, which the callers handle.
    // SAFETY: both strings are valid, NUL-terminated, and outlive the call.
    let rc = unsafe {
        libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, from.as_ptr(), libc::AT_FDCWD, to.as_ptr(), flags)
    };
    if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
}

/// A sibling path for moving something aside before deleting it.
pub fn aside_path(target: &Path) -> PathBuf {
    let mut name = temp_prefix(target);
    name.push(format!("{}-old", std::process::id()));
    target.with_file_name(name)
}
