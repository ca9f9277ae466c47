//! venvoy's small registry of project envs it created or linked, kept in one
//! JSON file under the data directory. Updates take a lock and replace the
//! file atomically; a missing or corrupt file reads as empty; entries whose
//! directory is gone are kept (and shown as missing) until removed.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One env venvoy knows about outside the env home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The env's root.
    pub path: PathBuf,
    /// The project directory it belongs to, if any.
    #[serde(default)]
    pub project: Option<PathBuf>,
    /// `.venv` pointer files venvoy wrote that name this env.
    #[serde(default)]
    pub pointer_files: Vec<PathBuf>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    envs: Vec<Entry>,
}

/// The registry file, `<data dir>/registry.json`.
#[derive(Debug, Clone)]
pub struct Registry {
    path: PathBuf,
}

impl Registry {
    pub fn new(data_dir: &Path) -> Self {
        Self { path: data_dir.join("registry.json") }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry; empty when the file is missing or unreadable.
    pub fn load(&self) -> Vec<Entry> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice::<File>(&bytes).map(|f| f.envs).unwrap_or_else(|err| {
                tracing::warn!("ignoring the corrupt registry `{}`: {err}", self.path.display());
                Vec::new()
            }),
            Err(_) => Vec::new(),
        }
    }

    /// Change the entries under an exclusive lock, then write them back atomically.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<Entry>) -> T) -> std::io::Result<T> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs_err::create_dir_all(dir)?;
        let lock_path = self.path.with_extension("lock");
        let lock = fs_err::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
        lock.file().lock()?;
        let mut envs = self.load();
        let result = change(&mut envs);
        let mut text = serde_json::to_vec_pretty(&File { version: 1, envs })?;
        text.push(b'\n');
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(&text)?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        lock.file().unlock()?;
        Ok(result)
    }

    /// Record (or refresh) an env.
    pub fn add(&self, path: &Path, project: Option<&Path>) -> std::io::Result<()> {
        // Recreating a known env (the usual case) changes nothing: no lock, no write.
        let known = self
            .load()
            .iter()
            .any(|e| e.path == path && (project.is_none() || e.project.as_deref() == project));
        if known {
            return Ok(());
        }
        self.update(|envs| match envs.iter_mut().find(|e| e.path == path) {
            Some(e) => {
                if project.is_some() {
                    e.project = project.map(Path::to_path_buf);
                }
            }
            None => envs.push(Entry {
                path: path.to_path_buf(),
                project: project.map(Path::to_path_buf),
                pointer_files: vec![],
            }),
        })
    }

    /// Remember that venvoy wrote `pointer` naming the env at `path`.
    pub fn add_pointer(&self, path: &Path, pointer: &Path, project: &Path) -> std::io::Result<()> {
        self.update(|envs| {
            let entry = match envs.iter().position(|e| e.path == path) {
                Some(i) => &mut envs[i],
                None => {
                    envs.push(Entry { path: path.to_path_buf(), project: None, pointer_files: vec![] });
                    envs.last_mut().expect("just pushed")
                }
            };
            if entry.project.is_none() {
                entry.project = Some(project.to_path_buf());
            }
            if !entry.pointer_files.iter().any(|p| p == pointer) {
                entry.pointer_files.push(pointer.to_path_buf());
            }
        })
    }

    /// Forget an env; returns the entry that was removed.
    pub fn remove(&self, path: &Path) -> std::io::Result<Option<Entry>> {
        self.update(|envs| envs.iter().position(|e| e.path == path).map(|i| envs.remove(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_remove_and_tolerate_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let reg = Registry::new(dir.path());
        assert!(reg.load().is_empty());
        reg.add(Path::new("/p/.venv"), Some(Path::new("/p"))).unwrap();
        reg.add(Path::new("/p/.venv"), None).unwrap();
        reg.add_pointer(Path::new("/e/web"), Path::new("/q/.venv"), Path::new("/q")).unwrap();
        let envs = reg.load();
        assert_eq!(envs.len(), 2);
        assert_eq!(envs[0].project.as_deref(), Some(Path::new("/p")));
        assert_eq!(envs[1].pointer_files, vec![PathBuf::from("/q/.venv")]);
        assert!(reg.remove(Path::new("/p/.venv")).unwrap().is_some());
        std::fs::write(reg.path(), b"{ garbage").unwrap();
        assert!(reg.load().is_empty());
        reg.add(Path::new("/x"), None).unwrap();
        assert_eq!(reg.load().len(), 1);
    }

    #[test]
    fn concurrent_updates_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let reg = Registry::new(dir.path());
        std::thread::scope(|s| {
            for t in 0..8 {
                let reg = reg.clone();
                s.spawn(move || {
                    for i in 0..10 {
                        reg.add(&PathBuf::from(format!("/env/{t}/{i}")), None).unwrap();
                    }
                });
            }
        });
        assert_eq!(reg.load().len(), 80);
    }
}
