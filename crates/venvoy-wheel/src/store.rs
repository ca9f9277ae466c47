//! venvoy's cache of downloaded wheel files.
//!
//! ```text
//! <root>/<normalised name>/<wheel file>            the file as downloaded
//! <root>/<normalised name>/<wheel file>.json       its SHA-256 (from the index), Requires-Python, URL
//! ```
//!
//! A wheel counts only with its `.json` beside it, and only while its
//! SHA-256 still matches: a file changed after download is removed on use.
//! Both are written to a temporary file and renamed into place, the `.json`
//! first, so a reader never sees a wheel without the hash it must have.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use venvoy_dist::WheelFilename;

use crate::SeedError;
use crate::hash::{hex, sha256_file};

/// The downloaded-wheel cache under one root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelStore {
    root: PathBuf,
}

/// What is recorded beside a stored wheel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredInfo {
    /// The SHA-256 the index gave, lowercase hex.
    pub sha256: String,
    /// The index's `Requires-Python` for the file.
    pub requires_python: Option<String>,
    /// Where it was downloaded from.
    pub url: String,
}

/// One wheel in the store, not yet verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWheel {
    /// The wheel file.
    pub path: PathBuf,
    /// Its parsed name.
    pub filename: WheelFilename,
    /// Its record.
    pub info: StoredInfo,
}

impl WheelStore {
    /// A store rooted at `root` (created on first download).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.join(venvoy_dist::normalize_name(name))
    }

    /// Every stored wheel of `name` that has its record.
    pub fn list(&self, name: &str) -> Vec<StoredWheel> {
        let dir = self.dir(name);
        let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else { continue };
            if !file_name.ends_with(".whl") || file_name.starts_with('.') {
                continue;
            }
            let Ok(filename) = WheelFilename::parse(file_name) else { continue };
            if filename.normalized_name() != venvoy_dist::normalize_name(name) {
                continue;
            }
            let path = entry.path();
            let record = dir.join(format!("{file_name}.json"));
            let Some(info) = std::fs::read(&record).ok().and_then(|b| serde_json::from_slice(&b).ok()) else {
                tracing::debug!("ignoring `{}`: no readable record beside it", path.display());
                continue;
            };
            out.push(StoredWheel { path, filename, info });
        }
        out
    }

    /// Whether `wheel` still has the SHA-256 it was downloaded with. A wheel
    /// that does not is removed (with its record), so the next download
    /// replaces it.
    pub fn verify(&self, wheel: &StoredWheel) -> bool {
        let actual = match sha256_file(&wheel.path) {
            Ok((digest, _)) => hex(&digest),
            Err(err) => {
                tracing::warn!("cannot read the cached wheel `{}`: {err}", wheel.path.display());
                return false;
            }
        };
        if actual.eq_ignore_ascii_case(&wheel.info.sha256) {
            return true;
        }
        tracing::warn!(
            "the cached wheel `{}` has SHA-256 {actual}, not {} as downloaded; removing it",
            wheel.path.display(),
            wheel.info.sha256
        );
        let _ = std::fs::remove_file(&wheel.path);
        let _ = std::fs::remove_file(record_path(&wheel.path));
        false
    }

    /// A temporary file in the store to download `name` into.
    pub(crate) fn staging(&self, name: &str) -> Result<tempfile::NamedTempFile, SeedError> {
        let dir = self.dir(name);
        std::fs::create_dir_all(&dir).map_err(SeedError::io("cannot create", &dir))?;
        venvoy_fs::atomic::temp_file_sibling(&dir.join(name))
            .map_err(SeedError::io("cannot create a temporary file in", &dir))
    }

    /// Put a finished, verified download into the store as `file_name`.
    pub(crate) fn insert(
        &self,
        name: &str,
        file_name: &str,
        download: tempfile::NamedTempFile,
        info: &StoredInfo,
    ) -> Result<PathBuf, SeedError> {
        let dir = self.dir(name);
        let path = dir.join(file_name);
        let record = record_path(&path);
        let json = serde_json::to_vec_pretty(info).map_err(|e| SeedError::Io {
            action: "cannot serialise",
            path: record.clone(),
            source: e.into(),
        })?;
        venvoy_fs::write_atomic(&record, &json).map_err(SeedError::io("cannot write", &record))?;
        // Temporary files are private (0600); the store is shared with every
        // user who reads the cache (`venvoy cache update` run as root).
        crate::cache::set_mode(download.path(), 0o644);
        download.persist(&path).map_err(|e| SeedError::Io {
            action: "cannot move the download to",
            path: path.clone(),
            source: e.error,
        })?;
        Ok(path)
    }
}

fn record_path(wheel: &Path) -> PathBuf {
    let mut name = wheel.as_os_str().to_os_string();
    name.push(".json");
    PathBuf::from(name)
}
