//! Making files and directories appear all at once.
//!
//! A file venvoy changes is written to a temporary sibling and renamed over
//! the old one, so a reader (or a kill) sees the old content or the new,
//! never a mix; and a file hardlinked into another env keeps its content,
//! since the rename replaces the name, not the shared inode.
//!
//! A directory is built in a hidden sibling and renamed into place. Every
//! temporary sibling is named `.<target>.venvoy-<pid>-<random>`; one whose
//! process is gone (killed mid-way) is removed by the next run that touches
//! the same directory ([`clean_stale_siblings`], [`clean_stale_in`]); a
//! [`crate::stage::StagedTree`] its run had committed is moved in instead.

use std::ffi::{OsStr, OsString};
use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The marker in every temporary name venvoy makes.
const MARK: &str = ".venvoy-";

/// The prefix of temporary siblings of `target`, without the pid part.
fn temp_prefix(target: &Path) -> OsString {
    let mut prefix = OsString::from(".");
    prefix.push(target.file_name().unwrap_or_default());
    prefix.push(MARK);
    prefix
}

fn own_prefix(target: &Path) -> OsString {
    let mut prefix = temp_prefix(target);
    prefix.push(format!("{}-", std::process::id()));
    prefix
}

fn parent_of(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// A fresh, empty, hidden directory next to `target`, removed when dropped.
pub fn temp_sibling(target: &Path) -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new().prefix(&own_prefix(target)).tempdir_in(parent_of(target))
}

/// A fresh hidden file next to `target`, removed when dropped unless persisted.
pub fn temp_file_sibling(target: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(&own_prefix(target)).tempfile_in(parent_of(target))
}

/// Write `contents` to `path` atomically, keeping the mode of the file it
/// replaces (or 0o644 for a new file).
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0o644);
    write_atomic_mode(path, contents, mode)
}

/// Write `contents` to `path` atomically with the given mode.
pub fn write_atomic_mode(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let mut tmp = temp_file_sibling(path)?;
    tmp.as_file_mut().write_all(contents)?;
    tmp.as_file().set_permissions(Permissions::from_mode(mode))?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write a file atomically from a writer callback (for output built in pieces).
pub fn write_atomic_with(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let mut tmp = temp_file_sibling(path)?;
    fill(tmp.as_file_mut())?;
    tmp.as_file().set_permissions(Permissions::from_mode(mode))?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `name` is a temporary name venvoy makes, and the pid that made it.
pub fn temp_owner(name: &OsStr) -> Option<u32> {
    let bytes = name.as_encoded_bytes();
    if !bytes.starts_with(b".") {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let at = text.rfind(MARK)?;
    text[at + MARK.len()..].split('-').next()?.parse().ok()
}

/// Remove temporary siblings of `target` left by venvoy processes that no
/// longer run; returns what was removed.
pub fn clean_stale_siblings(target: &Path) -> Vec<PathBuf> {
    let prefix = temp_prefix(target);
    clean_matching(parent_of(target), |name| name.as_encoded_bytes().starts_with(prefix.as_encoded_bytes()))
}

/// Stale temporary entries of directories ([`stale_in`]), each directory
/// listed once: the siblings of many targets in one directory (every env of
/// the env home, for `doctor --all`) cost one listing, not one each. A
/// listing is kept as it was read: make a new `StaleListings` after
/// anything in those directories is removed.
#[derive(Debug, Default)]
pub struct StaleListings {
    dirs: std::cell::RefCell<std::collections::HashMap<PathBuf, Vec<PathBuf>>>,
}

impl StaleListings {
    /// The temporary siblings of `target` left by venvoy processes that no
    /// longer run, without removing them.
    pub fn siblings(&self, target: &Path) -> Vec<PathBuf> {
        let prefix = temp_prefix(target);
        let dir = parent_of(target);
        let mut dirs = self.dirs.borrow_mut();
        let stale = dirs.entry(dir.to_path_buf()).or_insert_with(|| stale_in(dir));
        stale
            .iter()
            .filter(|p| {
                p.file_name().unwrap_or_default().as_encoded_bytes().starts_with(prefix.as_encoded_bytes())
            })
            .cloned()
            .collect()
    }
}

/// Remove every temporary file or directory in `dir` left by venvoy
/// processes that no longer run; returns what was removed.
pub fn clean_stale_in(dir: &Path) -> Vec<PathBuf> {
    clean_matching(dir, |_| true)
}

/// The temporary files or directories in `dir` left by venvoy processes that
/// no longer run, without removing them.
pub fn stale_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            temp_owner(&e.file_name()).is_some_and(|pid| pid != std::process::id() && !process_alive(pid))
        })
        .map(|e| e.path())
        .collect()
}

fn clean_matching(dir: &Path, wanted: impl Fn(&OsStr) -> bool) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    for path in stale_in(dir) {
        if !wanted(path.file_name().unwrap_or_default()) {
            continue;
        }
        if crate::stage::is_committed(&path) {
            // A stage committed before its run was killed: finish it.
            match crate::stage::roll_forward(&path) {
                Ok(()) => {
                    tracing::debug!("finished moving in `{}`, left by an interrupted venvoy", path.display());
                    removed.push(path);
                    continue;
                }
                Err(err) => tracing::debug!("cannot finish `{}` ({err}); removing it", path.display()),
            }
        }
        tracing::debug!("removing `{}`, left by an interrupted venvoy", path.display());
        let gone = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
            Ok(_) => std::fs::remove_file(&path),
            Err(e) => Err(e),
        };
        if gone.is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Whether a process with this pid exists.
pub fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// Rename `from` to `to`, failing with `AlreadyExists` if `to` exists (even
/// as an empty directory).
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            other => return other.map_err(io::Error::from),
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
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(true),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let _ = (a, b);
    Ok(false)
}

/// A sibling path for moving something aside before deleting it; a later
/// run removes it if this process dies first.
pub fn aside_path(target: &Path) -> PathBuf {
    let mut name = temp_prefix(target);
    name.push(format!("{}-old", std::process::id()));
    target.with_file_name(name)
}

/// The current umask, read without changing it for other threads.
pub fn current_umask() -> u32 {
    // /proc/self/status has a `Umask:` line on Linux 4.7+; elsewhere assume 022.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn write_atomic_keeps_mode_and_breaks_hardlinks() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, "old").unwrap();
        std::fs::set_permissions(&a, Permissions::from_mode(0o755)).unwrap();
        std::fs::hard_link(&a, &b).unwrap();
        write_atomic(&a, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old", "the other link keeps its content");
        assert_eq!(std::fs::metadata(&a).unwrap().mode() & 0o7777, 0o755);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file remains");
    }

    #[test]
    fn temp_names_carry_their_pid_and_stale_ones_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("env");
        let live = temp_sibling(&target).unwrap();
        assert_eq!(temp_owner(live.path().file_name().unwrap()), Some(std::process::id()));
        // A pid that cannot be running: beyond the kernel's pid_max limit.
        let dead = dir.path().join(".env.venvoy-4194305-abc");
        std::fs::create_dir(&dead).unwrap();
        std::fs::write(dead.join("f"), "x").unwrap();
        let dead_file = dir.path().join(".pyvenv.cfg.venvoy-4194306-xyz");
        std::fs::write(&dead_file, "").unwrap();
        assert_eq!(stale_in(dir.path()).len(), 2);
        clean_stale_siblings(&target);
        assert!(!dead.exists());
        assert!(dead_file.exists(), "only siblings of the target");
        assert_eq!(clean_stale_in(dir.path()), vec![dead_file.clone()]);
        assert!(live.path().exists(), "a live process's directory stays");
        assert_eq!(temp_owner(OsStr::new("plain")), None);
    }

    #[test]
    fn stale_listings_give_each_target_its_own_siblings_from_one_listing() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        // Pids that cannot be running: beyond the kernel's pid_max limit.
        let a_left = dir.path().join(".a.venvoy-4194305-x");
        let b_left = dir.path().join(".b.venvoy-4194306-y");
        std::fs::write(&a_left, "").unwrap();
        std::fs::write(&b_left, "").unwrap();
        let listings = StaleListings::default();
        assert_eq!(listings.siblings(&a), std::slice::from_ref(&a_left));
        assert_eq!(listings.siblings(&b), [b_left]);
        // The directory was listed once: what appears later is not seen by
        // this listing, and is by a new one.
        let a_later = dir.path().join(".a.venvoy-4194307-z");
        std::fs::write(&a_later, "").unwrap();
        assert_eq!(listings.siblings(&a), std::slice::from_ref(&a_left));
        let mut fresh = StaleListings::default().siblings(&a);
        fresh.sort();
        assert_eq!(fresh, [a_left, a_later]);
    }

    #[test]
    fn rename_noreplace_refuses_an_existing_target() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        assert_eq!(rename_noreplace(&a, &b).unwrap_err().kind(), io::ErrorKind::AlreadyExists);
        std::fs::write(a.join("x"), "").unwrap();
        assert!(exchange(&a, &b).unwrap());
        assert!(b.join("x").exists());
    }
}
