//! Which envs may act on their own (activation on `cd`, hooks): the trust
//! store, `<data dir>/trust.json`.
//!
//! An env is trusted when venvoy made it or linked it on this machine, or the
//! user ran `venvoy allow`, and it is still the same env: its directory and
//! `pyvenv.cfg` have the device and inode recorded then, and `pyvenv.cfg` the
//! same digest. An env put at the same path later is a different env. An env
//! in the env home is trusted while it belongs to the user (or root). Nothing
//! owned by another user (other than root) is trusted unless it was allowed
//! by hand. `venvoy deny` overrides everything.
//!
//! Entries are keyed by the env's canonical path, so a `.venv` symlink or
//! pointer file that leads to a trusted env leads to a trusted env.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use venvoy_fs::read;

/// What is recorded of an env to tell it from another put at the same path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub dev: u64,
    pub ino: u64,
    pub cfg_dev: u64,
    pub cfg_ino: u64,
    /// sha256 of `pyvenv.cfg`, hex.
    pub cfg_sha256: String,
    /// Birth times (ns since the epoch) of the directory and `pyvenv.cfg`,
    /// where the file system keeps them: inode numbers are reused.
    #[serde(default)]
    pub born: Option<(u128, u128)>,
    /// The owner of the env's directory.
    pub uid: u32,
}

impl Identity {
    /// The identity of the env at `root` (already canonical), read without
    /// following anything but the path itself; `pyvenv.cfg` is read with the
    /// small cap and only if it is a regular file.
    pub fn of(root: &Path) -> Result<Self, TrustError> {
        let meta =
            std::fs::metadata(root).map_err(|source| TrustError::Io { path: root.to_path_buf(), source })?;
        let cfg = root.join("pyvenv.cfg");
        let file = read::open_regular(&cfg)?;
        let cfg_meta = file.metadata().map_err(|source| TrustError::Io { path: cfg.clone(), source })?;
        let bytes = read::read_opened(file, &cfg, read::SMALL, cfg_meta.len())?;
        Ok(Self {
            dev: meta.dev(),
            ino: meta.ino(),
            cfg_dev: cfg_meta.dev(),
            cfg_ino: cfg_meta.ino(),
            cfg_sha256: hex(&Sha256::digest(&bytes)),
            born: born(&meta).zip(born(&cfg_meta)),
            uid: meta.uid(),
        })
    }
}

fn born(meta: &std::fs::Metadata) -> Option<u128> {
    meta.created().ok()?.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_nanos())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// How an entry came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `venvoy allow`.
    Allowed,
    /// venvoy created, cloned, moved or linked it.
    Created,
    /// `venvoy deny`.
    Denied,
}

/// One env in the trust store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustEntry {
    /// The env's canonical root.
    pub path: PathBuf,
    pub source: Source,
    /// `None` for denied envs.
    #[serde(default)]
    pub identity: Option<Identity>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    envs: Vec<TrustEntry>,
}

/// Why an env is or is not trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The user allowed it, and it is the same env.
    Allowed,
    /// venvoy made or linked it, and it is the same env.
    Created,
    /// It is in the env home and belongs to the user.
    EnvHome,
    /// The user denied it.
    Denied,
    /// Nothing says it may run.
    Unknown,
    /// It was trusted, but the env at this path is no longer that env.
    Replaced,
    /// It belongs to another user.
    ForeignOwner { uid: u32 },
    /// It cannot be read well enough to tell.
    Unreadable,
}

impl Decision {
    pub fn is_trusted(&self) -> bool {
        matches!(self, Self::Allowed | Self::Created | Self::EnvHome)
    }

    /// Why it is not trusted, as the end of a sentence; `None` when trusted.
    pub fn reason(&self) -> Option<String> {
        Some(match self {
            Self::Allowed | Self::Created | Self::EnvHome => return None,
            Self::Denied => "was denied with `venvoy deny`".into(),
            Self::Unknown => "is not allowed".into(),
            Self::Replaced => "is not the env that was allowed (it was replaced)".into(),
            Self::ForeignOwner { uid } => format!("belongs to another user (uid {uid}) and is not allowed"),
            Self::Unreadable => "cannot be checked (its `pyvenv.cfg` is not a readable regular file)".into(),
        })
    }
}

/// Why the trust store could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error("cannot access `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not valid UTF-8, so it cannot be recorded as allowed or denied", path.display())]
    NotUtf8 { path: PathBuf },
}

impl venvoy_fs::Hint for TrustError {
    fn hint(&self) -> Option<String> {
        match self {
            Self::Read(e) => e.hint(),
            Self::Io { .. } => None,
            Self::NotUtf8 { .. } => {
                Some("the trust store keeps paths as text: rename the directory to a valid UTF-8 name".into())
            }
        }
    }
}

/// The trust store, `<data dir>/trust.json`.
#[derive(Debug, Clone)]
pub struct TrustStore {
    path: PathBuf,
    env_home: PathBuf,
    uid: u32,
}

impl TrustStore {
    /// The store under `data_dir`; envs directly in `env_home` are trusted
    /// while they belong to the current user.
    pub fn new(data_dir: &Path, env_home: &Path) -> Self {
        Self {
            path: data_dir.join("trust.json"),
            env_home: env_home.to_path_buf(),
            uid: rustix::process::geteuid().as_raw(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry; empty when the file is missing, unreadable or corrupt.
    pub fn load(&self) -> Vec<TrustEntry> {
        match read::read_capped(&self.path, read::METADATA) {
            Ok(bytes) => serde_json::from_slice::<File>(&bytes).map(|f| f.envs).unwrap_or_else(|err| {
                tracing::warn!("ignoring the corrupt trust store `{}`: {err}", self.path.display());
                Vec::new()
            }),
            Err(e) => {
                if !e.is_not_found() {
                    tracing::warn!("ignoring the trust store: {e}");
                }
                Vec::new()
            }
        }
    }

    /// Whether the env at `root` may act on its own.
    pub fn check(&self, root: &Path) -> Decision {
        self.check_in(&self.load(), root)
    }

    /// [`TrustStore::check`] against entries already [loaded](TrustStore::load),
    /// for a command that checks many envs in a row.
    pub fn check_in(&self, entries: &[TrustEntry], root: &Path) -> Decision {
        let Ok(root) = std::fs::canonicalize(root) else { return Decision::Unreadable };
        let entry = entries.iter().find(|e| e.path == root);
        if entry.as_ref().is_some_and(|e| e.source == Source::Denied) {
            return Decision::Denied;
        }
        let Ok(identity) = Identity::of(&root) else { return Decision::Unreadable };
        if let Some(entry) = &entry {
            if entry.identity.as_ref() != Some(&identity) {
                return Decision::Replaced;
            }
            if entry.source == Source::Allowed {
                return Decision::Allowed;
            }
        }
        if let Some(uid) = self.foreign_owner(&root) {
            return Decision::ForeignOwner { uid };
        }
        let home = std::fs::canonicalize(&self.env_home).unwrap_or_else(|_| self.env_home.clone());
        if root.parent() == Some(home.as_path()) {
            return Decision::EnvHome;
        }
        if entry.is_some() { Decision::Created } else { Decision::Unknown }
    }

    /// The owner of the env's directory, its `pyvenv.cfg` or its scripts
    /// directory when that is neither the user nor root.
    pub fn foreign_owner(&self, root: &Path) -> Option<u32> {
        let mut paths = vec![root.to_path_buf(), root.join("pyvenv.cfg")];
        paths.extend(venvoy_fs::scripts_dir(root));
        paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.uid())
            .find(|&uid| uid != self.uid && uid != 0)
    }

    /// Record that venvoy made, cloned, moved or linked the env at `root`
    /// (an `allow` or `deny` the user gave stays as it is).
    pub fn record_created(&self, root: &Path) -> Result<(), TrustError> {
        self.set(root, Source::Created, false)
    }

    /// `venvoy allow`: trust the env at `root` as it is now.
    pub fn allow(&self, root: &Path) -> Result<(), TrustError> {
        self.set(root, Source::Allowed, true)
    }

    /// `venvoy deny`: never trust the env at `root`, whatever made it.
    pub fn deny(&self, root: &Path) -> Result<(), TrustError> {
        self.set(root, Source::Denied, true)
    }

    /// Refresh the recorded identity of an env venvoy just changed (e.g.
    /// rewrote its `pyvenv.cfg`), if it was trusted before the change.
    pub fn refresh(&self, root: &Path, was: &Decision) -> Result<(), TrustError> {
        match was {
            Decision::Allowed => self.set(root, Source::Allowed, true),
            Decision::Created => self.set(root, Source::Created, true),
            _ => Ok(()),
        }
    }

    fn set(&self, root: &Path, source: Source, overrule: bool) -> Result<(), TrustError> {
        let root = std::fs::canonicalize(root)
            .map_err(|e| TrustError::Io { path: root.to_path_buf(), source: e })?;
        if root.to_str().is_none() {
            return Err(TrustError::NotUtf8 { path: root });
        }
        let identity = match source {
            Source::Denied => None,
            _ => Some(Identity::of(&root)?),
        };
        self.update(|envs| {
            match envs.iter_mut().find(|e| e.path == root) {
                Some(e) if !overrule && e.source != Source::Created => {}
                Some(e) => {
                    e.source = source;
                    e.identity = identity;
                }
                None => envs.push(TrustEntry { path: root.clone(), source, identity }),
            };
        })
    }

    /// Forget the env at `root` (e.g. removed); returns whether it was there.
    pub fn forget(&self, root: &Path) -> Result<bool, TrustError> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        self.update(|envs| {
            let before = envs.len();
            envs.retain(|e| e.path != root);
            envs.len() != before
        })
    }

    fn update<T>(&self, change: impl FnOnce(&mut Vec<TrustEntry>) -> T) -> Result<T, TrustError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| TrustError::Io { path, source }
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let lock_path = self.path.with_extension("lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        lock.lock().map_err(io(&lock_path))?;
        let mut envs = self.load();
        let result = change(&mut envs);
        let mut text = serde_json::to_vec_pretty(&File { version: 1, envs })
            .map_err(|e| TrustError::Io { path: self.path.clone(), source: e.into() })?;
        text.push(b'\n');
        venvoy_fs::atomic::write_atomic(&self.path, &text).map_err(io(&self.path))?;
        lock.unlock().map_err(io(&lock_path))?;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_venv(dir: &Path) {
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(dir.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::write(dir.join("bin/python"), "").unwrap();
    }

    #[test]
    fn a_path_that_is_not_utf8_is_named_as_the_reason() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let store = TrustStore::new(&tmp.path().join("data"), &tmp.path().join("home"));
        let env = tmp.path().join(std::ffi::OsStr::from_bytes(b"b\xff")).join(".venv");
        fake_venv(&env);
        let err = store.allow(&env).unwrap_err();
        assert!(matches!(err, TrustError::NotUtf8 { .. }), "{err:?}");
        assert!(err.to_string().contains("not valid UTF-8"), "{err}");
        assert!(!tmp.path().join("data/trust.json").exists());
    }

    #[test]
    fn allow_deny_and_replacement() {
        let tmp = tempfile::tempdir().unwrap();
        let store = TrustStore::new(&tmp.path().join("data"), &tmp.path().join("home"));
        let env = tmp.path().join("proj/.venv");
        fake_venv(&env);
        assert_eq!(store.check(&env), Decision::Unknown);
        store.allow(&env).unwrap();
        assert_eq!(store.check(&env), Decision::Allowed);
        // A symlink to it leads to the same trusted env.
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&env, &link).unwrap();
        assert_eq!(store.check(&link), Decision::Allowed);
        // Changing pyvenv.cfg, or replacing the directory, loses the trust.
        std::fs::write(env.join("pyvenv.cfg"), "home = /tmp/evil\n").unwrap();
        assert_eq!(store.check(&env), Decision::Replaced);
        std::fs::remove_dir_all(&env).unwrap();
        fake_venv(&env);
        assert_eq!(store.check(&env), Decision::Replaced);
        // `record_created` does not overrule the user's own decision, `deny` does.
        store.allow(&env).unwrap();
        store.record_created(&env).unwrap();
        assert_eq!(store.check(&env), Decision::Allowed);
        store.deny(&env).unwrap();
        assert_eq!(store.check(&env), Decision::Denied);
        store.record_created(&env).unwrap();
        assert_eq!(store.check(&env), Decision::Denied);
        assert!(store.forget(&env).unwrap());
        store.record_created(&env).unwrap();
        assert_eq!(store.check(&env), Decision::Created);
    }

    #[test]
    fn env_home_envs_and_unreadable_configs() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let store = TrustStore::new(&tmp.path().join("data"), &home);
        fake_venv(&home.join("web"));
        assert_eq!(store.check(&home.join("web")), Decision::EnvHome);
        store.deny(&home.join("web")).unwrap();
        assert_eq!(store.check(&home.join("web")), Decision::Denied);
        let env = tmp.path().join("fifo-env");
        fake_venv(&env);
        std::fs::remove_file(env.join("pyvenv.cfg")).unwrap();
        rustix::fs::mkfifoat(rustix::fs::CWD, env.join("pyvenv.cfg"), rustix::fs::Mode::from_raw_mode(0o644))
            .unwrap();
        assert_eq!(store.check(&env), Decision::Unreadable);
        assert!(store.allow(&env).is_err());
        std::fs::write(store.path(), b"{ garbage").unwrap();
        assert!(store.load().is_empty());
    }
}
