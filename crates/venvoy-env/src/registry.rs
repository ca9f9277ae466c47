//! venvoy's small registry of project envs it created or linked, kept in one
//! JSON file under the data directory. Updates take a lock and replace the
//! file atomically; a missing or corrupt file reads as empty; entries whose
//! directory is gone are kept (and shown as missing) until removed.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The largest registry venvoy reads (a few hundred bytes per env).
const REGISTRY_MAX: u64 = 16 << 20;

/// Why the registry's entries cannot be had.
#[derive(Debug, thiserror::Error)]
enum Unusable {
    #[error("{0}")]
    Corrupt(serde_json::Error),
    #[error(transparent)]
    Unreadable(venvoy_fs::ReadError),
}

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
        match self.read() {
            Ok(envs) => envs,
            Err(err) => {
                tracing::warn!("ignoring the corrupt registry `{}`: {err}", self.path.display());
                Vec::new()
            }
        }
    }

    /// The entries (a missing file has none), or why they cannot be had.
    fn read(&self) -> Result<Vec<Entry>, Unusable> {
        match venvoy_fs::read_capped(&self.path, REGISTRY_MAX) {
            Ok(bytes) => serde_json::from_slice::<File>(&bytes).map(|f| f.envs).map_err(Unusable::Corrupt),
            Err(e) if e.is_not_found() => Ok(Vec::new()),
            Err(e) => Err(Unusable::Unreadable(e)),
        }
    }

    /// Change the entries under an exclusive lock, then write them back
    /// atomically, keeping the file's mode. A corrupt file is never lost: it
    /// is renamed aside first and the warning names where it went.
    pub fn update<T>(&self, change: impl FnOnce(&mut Vec<Entry>) -> T) -> std::io::Result<T> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs_err::create_dir_all(dir)?;
        let lock_path = self.path.with_extension("lock");
        let lock = fs_err::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path)?;
        lock.file().lock()?;
        venvoy_fs::atomic::clean_stale_siblings(&self.path);
        let mode = std::fs::metadata(&self.path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        let mut envs = match self.read() {
            Ok(envs) => envs,
            // Never write over a file that could not even be read.
            Err(Unusable::Unreadable(e)) => return Err(std::io::Error::other(e)),
            Err(err) => {
                let kept = self.keep_corrupt()?;
                tracing::warn!(
                    "the registry `{}` was corrupt ({err}); kept it as `{}` and started a new one",
                    self.path.display(),
                    kept.display()
                );
                Vec::new()
            }
        };
        let result = change(&mut envs);
        let mut text = serde_json::to_vec_pretty(&File { version: 1, envs })?;
        text.push(b'\n');
        venvoy_fs::write_atomic_mode(&self.path, &text, mode)?;
        lock.file().unlock()?;
        Ok(result)
    }

    /// Rename the corrupt registry to a free `registry.json.corrupt-N` beside it.
    fn keep_corrupt(&self) -> std::io::Result<PathBuf> {
        let mut n = 1u32;
        loop {
            let mut name = self.path.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".corrupt-{n}"));
            let aside = self.path.with_file_name(name);
            match venvoy_fs::atomic::rename_noreplace(&self.path, &aside) {
                Ok(()) => return Ok(aside),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(e),
            }
        }
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

    /// Remember that venvoy wrote `pointer` naming the env at `path` (and
    /// that it no longer names any other env).
    pub fn add_pointer(&self, path: &Path, pointer: &Path, project: &Path) -> std::io::Result<()> {
        self.update(|envs| {
            for e in envs.iter_mut().filter(|e| e.path != path) {
                e.pointer_files.retain(|p| p != pointer);
            }
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

    /// The entry for the env at `path`.
    pub fn get(&self, path: &Path) -> Option<Entry> {
        self.load().into_iter().find(|e| e.path == path)
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
        std::fs::set_permissions(reg.path(), std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(reg.load().is_empty());
        reg.add(Path::new("/x"), None).unwrap();
        assert_eq!(reg.load().len(), 1);
        // The corrupt file is kept aside, and the new one has its mode.
        let kept = dir.path().join("registry.json.corrupt-1");
        assert_eq!(std::fs::read(&kept).unwrap(), b"{ garbage");
        assert_eq!(std::fs::metadata(reg.path()).unwrap().permissions().mode() & 0o777, 0o640);
        std::fs::write(reg.path(), b"[").unwrap();
        reg.add(Path::new("/y"), None).unwrap();
        assert!(dir.path().join("registry.json.corrupt-2").is_file(), "an older copy is not replaced");
        assert_eq!(std::fs::read(&kept).unwrap(), b"{ garbage");
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
