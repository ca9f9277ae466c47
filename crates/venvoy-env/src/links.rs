//! Keeping venvoy's records true: which projects link to an env through
//! `.venv` files, and what follows when an env is removed or moved, or a
//! project is moved. The one place that updates the registry and the `.venv`
//! files venvoy wrote.

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::pointer;
use crate::registry::{Entry, Registry};

/// Where envs are named from: the env home (for bare names in `.venv`
/// files) and the home directory (for `~`).
#[derive(Debug, Clone, Copy)]
pub struct Places<'a> {
    pub env_home: &'a Path,
    pub home: Option<&'a Path>,
}

impl Places<'_> {
    /// Whether the `.venv` file `file` designates the env at `env` right now.
    pub fn designates(&self, file: &Path, env: &Path) -> bool {
        pointer::target_of(file, self.home, self.env_home).is_some_and(|t| t == env)
    }
}

/// The `.venv` files the registry knows for `entry` that still lead to it.
pub fn live_pointers(entry: &Entry, places: Places<'_>) -> Vec<PathBuf> {
    entry.pointer_files.iter().filter(|f| places.designates(f, &entry.path)).cloned().collect()
}

/// Every project linked to `entry`: the project a `.venv` directory belongs
/// to, and the directory of each `.venv` file that still leads to it.
pub fn projects(entry: &Entry, places: Places<'_>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    if let Some(p) = &entry.project
        && entry.path.file_name() == Some(".venv".as_ref())
        && entry.path.parent() == Some(p.as_path())
    {
        out.push(p.clone());
    }
    for file in live_pointers(entry, places) {
        if let Some(dir) = file.parent()
            && !out.iter().any(|p| p == dir)
        {
            out.push(dir.to_path_buf());
        }
    }
    out
}

/// The `.venv` files known to link to the env at `env`: those the registry
/// recorded, and `extra` (e.g. the current project's), that lead to it now.
pub fn pointers_to(registry: &Registry, env: &Path, extra: &[PathBuf], places: Places<'_>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = registry.get(env).map(|e| e.pointer_files).unwrap_or_default();
    files.extend(extra.iter().cloned());
    let mut out: Vec<PathBuf> = Vec::new();
    for f in files {
        if !out.contains(&f) && places.designates(&f, env) {
            out.push(f);
        }
    }
    out
}

/// Delete the `.venv` files among `files` that still designate `env`
/// (regular files only); returns those deleted.
pub fn unlink(files: &[PathBuf], env: &Path, places: Places<'_>) -> io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    for file in files {
        let is_file = std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file());
        if is_file && places.designates(file, env) {
            fs_err::remove_file(file)?;
            removed.push(file.clone());
        }
    }
    Ok(removed)
}

/// After the env at `old` moved to `new`: its registry entry follows, and the
/// `.venv` files recorded for it that still name `old` now hold `new`.
/// Returns the files rewritten; a file the user pointed elsewhere is left alone.
pub fn follow_move(
    registry: &Registry,
    places: Places<'_>,
    old: &Path,
    new: &Path,
) -> io::Result<Vec<PathBuf>> {
    let in_home = new.parent() == Some(places.env_home);
    let entry = registry.update(|envs| {
        let i = envs.iter().position(|e| e.path == old)?;
        let mut entry = envs.remove(i);
        entry.path = new.to_path_buf();
        if new.file_name() == Some(".venv".as_ref()) {
            entry.project = new.parent().map(Path::to_path_buf);
        } else if entry.pointer_files.is_empty() {
            entry.project = None;
        }
        // Envs in the home are found by name; keep them only for their `.venv` files.
        if !(in_home && entry.pointer_files.is_empty()) {
            envs.retain(|e| e.path != new);
            envs.push(entry.clone());
        }
        Some(entry)
    })?;
    let Some(entry) = entry else { return Ok(Vec::new()) };
    let mut rewritten = Vec::new();
    for file in &entry.pointer_files {
        if places.designates(file, old) {
            pointer::write(file, new)?;
            rewritten.push(file.clone());
        }
    }
    Ok(rewritten)
}

/// A project whose recorded link to an env no longer matches the disk: the
/// project (or its `.venv` file) was moved or renamed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedProject {
    /// The env.
    pub env: PathBuf,
    /// The `.venv` file in the project's new place.
    pub file: PathBuf,
    /// Where venvoy recorded the link (a `.venv` file that is gone).
    pub old_file: PathBuf,
    /// Whether the file must be rewritten (its relative path broke in the move).
    pub rewrite: bool,
}

/// Find the env the `.venv` file `file` belongs to when the project moved:
/// either the file still leads to an env whose recorded `.venv` file is gone,
/// or its (relative) path no longer leads anywhere but did from where a
/// recorded, now missing, `.venv` file was.
pub fn moved_project(registry: &Registry, file: &Path, places: Places<'_>) -> Option<MovedProject> {
    if !std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let gone = |f: &PathBuf| f != file && std::fs::symlink_metadata(f).is_err();
    let entries = registry.load();
    if let Some(target) = pointer::target_of(file, places.home, places.env_home)
        && venvoy_fs::is_venv(&target)
    {
        let entry = entries.iter().find(|e| e.path == target)?;
        if entry.pointer_files.iter().any(|f| f == file) {
            return None;
        }
        let old_file = entry.pointer_files.iter().find(|f| gone(f))?.clone();
        return Some(MovedProject { env: target, file: file.to_path_buf(), old_file, rewrite: false });
    }
    let bytes = venvoy_fs::read_capped(file, venvoy_fs::read::SMALL).ok()?;
    for entry in entries.iter().filter(|e| venvoy_fs::is_venv(&e.path)) {
        for old_file in entry.pointer_files.iter().filter(|f| gone(f)) {
            let old_dir = old_file.parent().unwrap_or(Path::new("/"));
            let then = pointer::first_line(&bytes)
                .map(|line| venvoy_fs::path::absolute(Path::new(line), old_dir, places.home));
            if then.as_deref() == Some(entry.path.as_path()) {
                return Some(MovedProject {
                    env: entry.path.clone(),
                    file: file.to_path_buf(),
                    old_file: old_file.clone(),
                    rewrite: true,
                });
            }
        }
    }
    None
}

/// Re-link a moved project: rewrite its `.venv` file if its path broke, and
/// record the new file and project in place of the old ones.
pub fn relink(registry: &Registry, moved: &MovedProject) -> io::Result<()> {
    if moved.rewrite {
        pointer::write(&moved.file, &moved.env)?;
    }
    let project = moved.file.parent().unwrap_or(Path::new("/")).to_path_buf();
    let old_project = moved.old_file.parent().map(Path::to_path_buf);
    registry.update(|envs| {
        if let Some(e) = envs.iter_mut().find(|e| e.path == moved.env) {
            e.pointer_files.retain(|f| f != &moved.old_file);
            if e.project.is_none() || e.project == old_project {
                e.project = Some(project.clone());
            }
        }
    })?;
    registry.add_pointer(&moved.env, &moved.file, &project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_and_pointers_follow_a_move() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let places = Places { env_home: &home, home: None };
        let registry = Registry::new(&dir.path().join("data"));
        let old = dir.path().join("p/env");
        let new = dir.path().join("q/env");
        let by_path = dir.path().join("a/.venv");
        let changed = dir.path().join("c/.venv");
        for (file, text) in [(&by_path, format!("{}\n", old.display())), (&changed, "/other\n".into())] {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        for f in [&by_path, &changed] {
            registry.add_pointer(&old, f, f.parent().unwrap()).unwrap();
        }
        let files = follow_move(&registry, places, &old, &new).unwrap();
        assert_eq!(files, vec![by_path.clone()]);
        assert_eq!(std::fs::read_to_string(&by_path).unwrap(), format!("{}\n", new.display()));
        assert_eq!(std::fs::read_to_string(&changed).unwrap(), "/other\n");
        let envs = registry.load();
        assert_eq!(envs.len(), 1);
        assert_eq!(envs[0].path, new);
        // Into the home: still an absolute path, which every reader follows.
        let named = home.join("web");
        follow_move(&registry, places, &new, &named).unwrap();
        assert_eq!(std::fs::read_to_string(&by_path).unwrap(), format!("{}\n", named.display()));
        assert!(follow_move(&registry, places, Path::new("/nope"), &new).unwrap().is_empty());
    }

    #[test]
    fn a_moved_project_is_found_by_its_relative_path() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let places = Places { env_home: &home, home: None };
        let registry = Registry::new(&dir.path().join("data"));
        let env = dir.path().join("envs/api");
        std::fs::create_dir_all(env.join("bin")).unwrap();
        std::fs::write(env.join("bin/python"), "").unwrap();
        std::fs::write(env.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::create_dir_all(env.join("lib")).unwrap();
        let old = dir.path().join("src/api/.venv");
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(&old, "../../envs/api\n").unwrap();
        registry.add_pointer(&env, &old, old.parent().unwrap()).unwrap();
        // Moved one level deeper: the relative path breaks.
        let new = dir.path().join("src/deep/api/.venv");
        std::fs::create_dir_all(new.parent().unwrap().parent().unwrap()).unwrap();
        std::fs::rename(old.parent().unwrap(), new.parent().unwrap()).unwrap();
        let moved = moved_project(&registry, &new, places).expect("found");
        assert!(moved.rewrite);
        assert_eq!(moved.env, env);
        relink(&registry, &moved).unwrap();
        assert!(places.designates(&new, &env));
        let entry = registry.get(&env).unwrap();
        assert_eq!(entry.pointer_files, vec![new.clone()]);
        assert_eq!(entry.project.as_deref(), new.parent());
        assert!(moved_project(&registry, &new, places).is_none());
    }
}
