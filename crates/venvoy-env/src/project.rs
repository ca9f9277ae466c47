//! What makes a directory a Python project, for the first use of one that
//! has no env: `pyproject.toml`, `setup.py`, `setup.cfg` or
//! `requirements.txt`, at or above the current directory. The shell hooks
//! (`venvoy init SHELL --auto`) test the same names in the shell itself.

use std::path::{Path, PathBuf};

/// The files that mark a project's root, in the order they are reported.
pub const MARKERS: [&str; 4] = ["pyproject.toml", "setup.py", "setup.cfg", "requirements.txt"];

/// A project root and what marks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub root: PathBuf,
    /// The markers found there (regular files, or links to them).
    pub markers: Vec<&'static str>,
}

impl Project {
    /// Whether the project can be built and installed itself (it has a
    /// `pyproject.toml`, `setup.py` or `setup.cfg`).
    pub fn is_installable(&self) -> bool {
        self.markers.iter().any(|m| *m != "requirements.txt")
    }

    /// Its `requirements.txt`, when it has one.
    pub fn requirements(&self) -> Option<PathBuf> {
        self.markers.contains(&"requirements.txt").then(|| self.root.join("requirements.txt"))
    }
}

/// The nearest project root at or above `start`. Only regular files count
/// (a FIFO or a directory named `setup.py` does not), and nothing is read.
pub fn find(start: &Path) -> Option<Project> {
    start.ancestors().find_map(|dir| {
        let markers: Vec<&'static str> =
            MARKERS.into_iter().filter(|m| venvoy_fs::read::is_regular_file(&dir.join(m))).collect();
        (!markers.is_empty()).then(|| Project { root: dir.to_path_buf(), markers })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_marked_directory_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let outer = tmp.path().join("outer");
        let inner = outer.join("pkg/sub");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(outer.join("requirements.txt"), "attrs\n").unwrap();
        std::fs::write(outer.join("pkg/setup.cfg"), "").unwrap();
        // A directory with a marker's name is no marker.
        std::fs::create_dir(inner.join("pyproject.toml")).unwrap();
        let found = find(&inner).unwrap();
        assert_eq!(found.root, outer.join("pkg"));
        assert_eq!(found.markers, ["setup.cfg"]);
        assert!(found.is_installable());
        assert_eq!(found.requirements(), None);
        let top = find(&outer).unwrap();
        assert_eq!(top.markers, ["requirements.txt"]);
        assert!(!top.is_installable());
        assert_eq!(top.requirements(), Some(outer.join("requirements.txt")));
    }

    #[test]
    fn no_marker_no_project() {
        let tmp = tempfile::tempdir().unwrap();
        // The temp dir's ancestors (/tmp, /) hold no markers on a sane machine;
        // check from a directory we control below an unmarked one.
        let dir = tmp.path().join("a/b");
        std::fs::create_dir_all(&dir).unwrap();
        let found = find(&dir);
        assert!(found.as_ref().is_none_or(|p| !p.root.starts_with(tmp.path())), "{found:?}");
    }
}
