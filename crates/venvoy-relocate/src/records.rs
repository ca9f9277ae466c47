//! venvoy's own records after a move: the registry entry follows the env,
//! and `.venv` pointer files venvoy wrote for it name the new place.

use std::io;
use std::path::{Path, PathBuf};

use venvoy_env::Registry;
use venvoy_env::pointer::{self, Pointer};

/// Point the registry and the pointer files recorded for the env at `old`
/// to `new`; returns the pointer files rewritten. A pointer file that no
/// longer names `old` (the user changed it) is left alone.
pub fn follow_move(registry: &Registry, env_home: &Path, old: &Path, new: &Path) -> io::Result<Vec<PathBuf>> {
    let in_home = new.parent() == Some(env_home);
    let entry = registry.update(|envs| {
        let i = envs.iter().position(|e| e.path == old)?;
        let mut entry = envs.remove(i);
        entry.path = new.to_path_buf();
        if new.file_name() == Some(".venv".as_ref()) {
            entry.project = new.parent().map(Path::to_path_buf);
        } else if entry.pointer_files.is_empty() {
            entry.project = None;
        }
        // Envs in the home are found by name; keep them only for their pointer files.
        if !(in_home && entry.pointer_files.is_empty()) {
            envs.retain(|e| e.path != new);
            envs.push(entry.clone());
        }
        Some(entry)
    })?;
    let Some(entry) = entry else { return Ok(Vec::new()) };
    let new_pointer = match new.file_name().and_then(|n| n.to_str()) {
        Some(name) if in_home && pointer::is_valid_name(name) => Pointer::Name(name.to_string()),
        _ => Pointer::Path(new.to_path_buf()),
    };
    let mut rewritten = Vec::new();
    for file in &entry.pointer_files {
        let Ok(bytes) = std::fs::read(file) else { continue };
        let dir = file.parent().unwrap_or(Path::new("/"));
        let names_old = match pointer::parse(&bytes, dir) {
            Some(Pointer::Path(p)) => crate::record::normalize(&p) == old,
            Some(Pointer::Name(n)) => env_home.join(n) == old,
            None => false,
        };
        if names_old {
            venvoy_fs::write_atomic(file, pointer::render(&new_pointer).as_bytes())?;
            rewritten.push(file.clone());
        }
    }
    Ok(rewritten)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_and_pointers_follow() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let registry = Registry::new(&dir.path().join("data"));
        let old = dir.path().join("p/env");
        let new = dir.path().join("q/env");
        let by_path = dir.path().join("a/.venv");
        let by_name = dir.path().join("b/.venv");
        let changed = dir.path().join("c/.venv");
        for (file, text) in [
            (&by_path, format!("{}\n", old.display())),
            (&by_name, "x\n".into()),
            (&changed, "other\n".into()),
        ] {
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        for f in [&by_path, &changed] {
            registry.add_pointer(&old, f, f.parent().unwrap()).unwrap();
        }
        let files = follow_move(&registry, &home, &old, &new).unwrap();
        assert_eq!(files, vec![by_path.clone()]);
        assert_eq!(std::fs::read_to_string(&by_path).unwrap(), format!("{}\n", new.display()));
        assert_eq!(std::fs::read_to_string(&changed).unwrap(), "other\n");
        let envs = registry.load();
        assert_eq!(envs.len(), 1);
        assert_eq!(envs[0].path, new);
        // Into the home: the pointer names it.
        let named = home.join("web");
        follow_move(&registry, &home, &new, &named).unwrap();
        assert_eq!(std::fs::read_to_string(&by_path).unwrap(), "web\n");
        assert!(follow_move(&registry, &home, Path::new("/nope"), &new).unwrap().is_empty());
        let _ = by_name;
    }
}
