//! A tree of new files built aside and merged into a directory all at once.
//!
//! A [`StagedTree`] is a hidden directory inside its `root`, on the same file
//! system, that mirrors `root`'s layout. Everything is written there first;
//! a failure (a full disk, a bad input) drops the stage and leaves `root`
//! untouched. [`StagedTree::commit`] checks nothing is in the way, marks the
//! stage committed (one rename), then moves its entries into `root`: a
//! directory `root` lacks is renamed in whole, one that exists is merged,
//! files replace files by rename (never written through, so a hardlinked
//! file elsewhere keeps its content).
//!
//! A kill before the mark leaves a stage the next run removes; a kill after
//! it leaves a committed stage the next run finishes moving in
//! ([`crate::atomic::clean_stale_in`] does both). So `root` ends with the old
//! state or the complete new one.

use std::io;
use std::path::{Path, PathBuf};

use crate::atomic::temp_sibling;

/// What a committed stage's name ends with.
pub(crate) const COMMITTED: &str = "-commit";

/// A hidden directory in `root` mirroring it, removed on drop unless committed.
#[derive(Debug)]
pub struct StagedTree {
    root: PathBuf,
    dir: Option<PathBuf>,
}

impl StagedTree {
    /// A fresh stage inside `root` (created if missing), named
    /// `.stage.venvoy-<pid>-<random>` so a later run can tell it is stale.
    pub fn new(root: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(root)?;
        let dir = temp_sibling(&root.join("stage"))?.keep();
        Ok(Self { root: root.to_path_buf(), dir: Some(dir) })
    }

    /// The directory that stands for `root` while building.
    pub fn path(&self) -> &Path {
        self.dir.as_deref().unwrap_or(&self.root)
    }

    /// Where `target` (a path inside `root`) is built; `None` outside `root`.
    pub fn staged(&self, target: &Path) -> Option<PathBuf> {
        let rel = target.strip_prefix(&self.root).ok()?;
        Some(self.path().join(rel))
    }

    /// Move everything into `root`. Paths in `last` (relative to `root`) are
    /// moved after the rest, in the order given: a reader that looks for the
    /// last one (a `RECORD`) finds it only once all else is in place.
    ///
    /// Before anything moves, every entry is checked against what `root`
    /// holds: a directory where a file goes (or the reverse) is an error and
    /// `root` is left as it was.
    pub fn commit(mut self, last: &[&Path]) -> io::Result<()> {
        let Some(dir) = self.dir.clone() else { return Ok(()) };
        check_fits(&dir, &self.root)?;
        let mut marked = dir.clone().into_os_string();
        marked.push(COMMITTED);
        let marked = PathBuf::from(marked);
        std::fs::rename(&dir, &marked)?;
        self.dir = Some(marked.clone());
        let last: Vec<PathBuf> = last.iter().map(|p| p.to_path_buf()).collect();
        merge(&marked, &self.root, &last)?;
        self.dir = None;
        std::fs::remove_dir_all(&marked)
    }
}

impl Drop for StagedTree {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take()
            && let Err(err) = std::fs::remove_dir_all(&dir)
        {
            tracing::debug!("cannot remove the stage `{}`: {err}", dir.display());
        }
    }
}

/// Whether `name` is a stage a killed run had committed.
pub(crate) fn is_committed(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.as_encoded_bytes().ends_with(COMMITTED.as_bytes()))
}

/// Finish moving a committed stage left by a killed run into the directory
/// holding it, then remove it.
pub(crate) fn roll_forward(stage: &Path) -> io::Result<()> {
    let root = stage.parent().unwrap_or(Path::new("."));
    merge(stage, root, &[])?;
    std::fs::remove_dir_all(stage)
}

/// Fail if an entry of `stage` would replace a directory with a file, or
/// go under something in `root` that is not a directory.
fn check_fits(stage: &Path, root: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(stage)? {
        let entry = entry?;
        let dest = root.join(entry.file_name());
        let is_dir = entry.file_type()?.is_dir();
        match std::fs::metadata(&dest) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
            Ok(meta) if meta.is_dir() && is_dir => check_fits(&entry.path(), &dest)?,
            Ok(meta) if meta.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("a directory is in the way of `{}`", dest.display()),
                ));
            }
            Ok(_) if is_dir => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("a file is in the way of the directory `{}`", dest.display()),
                ));
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Move the entries of `stage` into `root`, those in `last` after the rest.
fn merge(stage: &Path, root: &Path, last: &[PathBuf]) -> io::Result<()> {
    merge_dir(stage, root, Path::new(""), last)?;
    for rel in last {
        let from = stage.join(rel);
        if std::fs::symlink_metadata(&from).is_ok() {
            merge_entry(&from, &root.join(rel), rel, last)?;
        }
    }
    Ok(())
}

fn merge_dir(from: &Path, to: &Path, rel: &Path, last: &[PathBuf]) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(from)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let child = rel.join(entry.file_name());
        if last.contains(&child) {
            continue;
        }
        merge_entry(&entry.path(), &to.join(entry.file_name()), &child, last)?;
    }
    Ok(())
}

fn merge_entry(from: &Path, to: &Path, rel: &Path, last: &[PathBuf]) -> io::Result<()> {
    let is_dir = std::fs::symlink_metadata(from)?.is_dir();
    if !is_dir {
        return std::fs::rename(from, to);
    }
    match std::fs::metadata(to) {
        Ok(meta) if meta.is_dir() => merge_dir(from, to, rel, last),
        Ok(_) => Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("a file is in the way of the directory `{}`", to.display()),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => crate::atomic::rename_noreplace(from, to),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn commit_merges_renames_and_replaces_without_writing_through() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("env");
        write(&root.join("bin/python"), "py");
        write(&root.join("bin/tool"), "old tool");
        let other = tmp.path().join("other-tool");
        std::fs::hard_link(root.join("bin/tool"), &other).unwrap();
        let stage = StagedTree::new(&root).unwrap();
        write(&stage.staged(&root.join("bin/tool")).unwrap(), "new tool");
        write(&stage.staged(&root.join("lib/pkg/a.py")).unwrap(), "a");
        write(&stage.staged(&root.join("lib/pkg.dist-info/RECORD")).unwrap(), "r");
        assert!(stage.staged(Path::new("/elsewhere")).is_none());
        stage.commit(&[Path::new("lib/pkg.dist-info")]).unwrap();
        assert_eq!(std::fs::read_to_string(root.join("bin/tool")).unwrap(), "new tool");
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "old tool", "a rename, not a write");
        assert_eq!(std::fs::read_to_string(root.join("bin/python")).unwrap(), "py");
        assert_eq!(std::fs::read_to_string(root.join("lib/pkg.dist-info/RECORD")).unwrap(), "r");
        let names: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no stage remains: {names:?}");
    }

    #[test]
    fn a_dropped_or_refused_stage_leaves_root_as_it_was() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("env");
        write(&root.join("lib/pkg/sub/keep"), "dir");
        let stage = StagedTree::new(&root).unwrap();
        write(&stage.staged(&root.join("new.txt")).unwrap(), "n");
        drop(stage);
        let stage = StagedTree::new(&root).unwrap();
        write(&stage.staged(&root.join("a.txt")).unwrap(), "a");
        write(&stage.staged(&root.join("lib/pkg/sub")).unwrap(), "a file where a directory is");
        let err = stage.commit(&[]).unwrap_err();
        assert!(err.to_string().contains("lib/pkg/sub"), "{err}");
        let names: Vec<_> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["lib"], "nothing moved, no stage left");
    }

    #[test]
    fn a_committed_stage_of_a_dead_run_is_rolled_forward() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("env");
        write(&root.join("lib/old.py"), "o");
        // As a killed run leaves it: committed, half moved (pid beyond pid_max).
        let stage = root.join(".stage.venvoy-4194305-abc-commit");
        write(&stage.join("lib/new.py"), "n");
        write(&stage.join("bin/tool"), "t");
        let uncommitted = root.join(".stage.venvoy-4194306-xyz");
        write(&uncommitted.join("lib/never.py"), "x");
        let removed = crate::atomic::clean_stale_in(&root);
        assert_eq!(removed.len(), 2);
        assert_eq!(std::fs::read_to_string(root.join("lib/new.py")).unwrap(), "n");
        assert_eq!(std::fs::read_to_string(root.join("bin/tool")).unwrap(), "t");
        assert!(!root.join("lib/never.py").exists());
        assert!(!stage.exists() && !uncommitted.exists());
    }
}
