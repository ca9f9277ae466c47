//! The on-disk cache of interpreter query answers, keyed by the interpreter's
//! canonical path and invalidated when the file's identity changes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::interpreter::QueryInfo;

/// Bump when [`QueryInfo`] changes shape. The directory name also carries a
/// digest of `query.py`, so editing the script invalidates every entry.
const CACHE_VERSION: &str = "interpreters-v1";

fn cache_dir_name() -> String {
    let digest = Sha256::digest(crate::query::QUERY_SCRIPT.as_bytes());
    let short: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{CACHE_VERSION}-{short}")
}

/// What identifies one version of an executable file: if any of these change,
/// the file was replaced or rebuilt and its cached answer is stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileIdentity {
    pub dev: u64,
    pub inode: u64,
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

impl FileIdentity {
    /// The identity of the file at `path` (symlinks followed).
    pub fn of(path: &Path) -> std::io::Result<Self> {
        let meta = std::fs::metadata(path)?;
        Ok(Self::from_metadata(&meta))
    }

    #[cfg(unix)]
    pub fn from_metadata(meta: &std::fs::Metadata) -> Self {
        use std::os::unix::fs::MetadataExt;
        Self {
            dev: meta.dev(),
            inode: meta.ino(),
            size: meta.size(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
        }
    }

    #[cfg(not(unix))]
    pub fn from_metadata(meta: &std::fs::Metadata) -> Self {
        let nanos = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128)
        };
        Self {
            dev: 0,
            inode: 0,
            size: meta.len(),
            mtime_ns: nanos(meta.modified()),
            ctime_ns: nanos(meta.created()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    path: PathBuf,
    identity: FileIdentity,
    info: QueryInfo,
}

/// Query answers stored under `<cache dir>/interpreters-v1-<script digest>/`.
#[derive(Debug, Clone)]
pub struct QueryCache {
    dir: Option<PathBuf>,
}

impl QueryCache {
    /// A cache rooted at venvoy's cache directory.
    pub fn new(cache_dir: &Path) -> Self {
        Self { dir: Some(cache_dir.join(cache_dir_name())) }
    }

    /// A cache that remembers nothing (`--no-cache`).
    pub fn disabled() -> Self {
        Self { dir: None }
    }

    fn entry_path(&self, canonical: &Path) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
        let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Some(dir.join(format!("{name}.json")))
    }

    /// The cached answer for `canonical`, if there is one and the file has not changed.
    /// A missing, unreadable, corrupt or stale entry is simply a miss.
    pub fn get(&self, canonical: &Path, identity: &FileIdentity) -> Option<QueryInfo> {
        let path = self.entry_path(canonical)?;
        let bytes = std::fs::read(&path).ok()?;
        match serde_json::from_slice::<Entry>(&bytes) {
            Ok(entry) if entry.path == canonical && entry.identity == *identity => Some(entry.info),
            Ok(_) => {
                tracing::debug!("stale cache entry for {}", canonical.display());
                None
            }
            Err(err) => {
                tracing::debug!("ignoring corrupt cache entry {}: {err}", path.display());
                None
            }
        }
    }

    /// Store an answer. Written to a temporary file and renamed into place, so
    /// concurrent readers never see half an entry. Failure to write is not an error:
    /// the cache only makes things faster.
    pub fn put(&self, canonical: &Path, identity: &FileIdentity, info: &QueryInfo) {
        let Some(path) = self.entry_path(canonical) else { return };
        let entry = Entry { path: canonical.to_path_buf(), identity: *identity, info: info.clone() };
        let result = (|| -> std::io::Result<()> {
            let dir = path.parent().expect("entry path has a parent");
            fs_err::create_dir_all(dir)?;
            // The temporary siblings `write_atomic` makes carry its pid: the
            // first write of a run removes those a killed run left.
            static CLEANED: std::sync::Once = std::sync::Once::new();
            CLEANED.call_once(|| {
                venvoy_fs::atomic::clean_stale_in(dir);
            });
            venvoy_fs::write_atomic(&path, &serde_json::to_vec(&entry)?)?;
            Ok(())
        })();
        if let Err(err) = result {
            tracing::debug!("could not write cache entry {}: {err}", path.display());
        }
    }

    /// Where the entries live, if the cache is enabled.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }
}
