//! The base interpreter a venv points to: where its `bin/python` links lead,
//! else the interpreter in `pyvenv.cfg`'s `home`.

use std::path::{Path, PathBuf};

use crate::venv::Venv;

/// The base interpreter as written in the venv (it may no longer exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// `home` from `pyvenv.cfg`.
    pub home: Option<PathBuf>,
    /// The interpreter file the venv uses.
    pub path: Option<PathBuf>,
    /// Whether that file exists.
    pub exists: bool,
}

/// Find the base interpreter of `venv` without running anything.
pub fn base_of(venv: &Venv) -> Base {
    let home = venv.cfg.home();
    let from_links = venv.interpreter_links().into_iter().find_map(|l| {
        let target = l.target.as_ref()?;
        let end = follow_in_dir(&venv.bin, target);
        (!end.starts_with(&venv.bin)).then_some(end)
    });
    let path = from_links.or_else(|| {
        let home = home.as_ref()?;
        let mut names = Vec::new();
        if let Some((a, b, _)) = venv.version() {
            names.push(format!("python{a}.{b}"));
            names.push(format!("python{a}"));
        }
        names.push("python".into());
        names.push("python3".into());
        let candidates: Vec<PathBuf> = names.iter().map(|n| home.join(n)).collect();
        candidates.iter().find(|p| p.is_file()).or(candidates.first()).cloned()
    });
    let exists = path.as_ref().is_some_and(|p| p.is_file());
    Base { home, path, exists }
}

/// Follow symlinks whose targets stay inside `dir` (relative names such as
/// `python3 -> python`), returning the first path that leaves it.
fn follow_in_dir(dir: &Path, target: &Path) -> PathBuf {
    let mut current = dir.join(target);
    for _ in 0..16 {
        if !current.starts_with(dir) {
            return current;
        }
        match std::fs::read_link(&current) {
            Ok(next) => current = current.parent().unwrap_or(dir).join(next),
            Err(_) => return current,
        }
    }
    current
}
