//! The shared cache of unpacked wheel images.
//!
//! Layout under the cache root:
//!
//! ```text
//! images/<sha256 of the wheel file>/manifest.json
//! images/<sha256 of the wheel file>/files/...      the archive's members
//! locks/<sha256 of the wheel file>.lock
//! ```
//!
//! An image is built in a temporary directory beside `images/<key>` and
//! renamed into place, so it is either complete or absent. Several venvoy
//! processes may use one cache at once: readers hold a shared lock on the
//! key's lock file while they verify and link, and whoever builds, repairs
//! or replaces an image holds it exclusively. Every use checks the image
//! against its manifest (hashing each file whose size and mtime differ from
//! the last full check); a corrupt image (a hardlinked file edited in place,
//! a truncated file, a damaged manifest) is moved aside and rebuilt. Staging
//! directories left by a killed process (`images/.tmp-<key>-*`) are removed by
//! the next process that takes the key's exclusive lock.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::{Path, PathBuf};

use venvoy_dist::WheelFilename;

use crate::InstallError;
use crate::archive::extract;
use crate::hash::{hex, sha256_reader};
use crate::image::Manifest;

/// A directory of unpacked wheel images, shareable between processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WheelCache {
    root: PathBuf,
    /// Use only images already there, taking shared locks through read-only
    /// handles: for a cache this user cannot write (another user's, or on a
    /// read-only file system).
    read_only: bool,
}

/// An image in use: the lock is held until this value is dropped, so the
/// image cannot be replaced while files are being linked from it.
#[derive(Debug)]
pub struct UnpackedWheel {
    dir: PathBuf,
    manifest: Manifest,
    key: String,
    rebuilt: bool,
    _lock: File,
}

impl UnpackedWheel {
    /// The directory holding the archive members.
    pub fn files_dir(&self) -> PathBuf {
        self.dir.join("files")
    }

    /// The image's manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The cache key: the wheel file's SHA-256 in hex.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether this call had to unpack the wheel (first use, or repair).
    pub fn was_unpacked(&self) -> bool {
        self.rebuilt
    }
}

impl WheelCache {
    /// A cache rooted at `root` (created on first use).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into(), read_only: false }
    }

    /// A cache of which only images already there are used; nothing is
    /// written. [`WheelCache::unpack`] fails with [`InstallError::NotCached`]
    /// for any other wheel.
    pub fn read_only(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into(), read_only: true }
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Whether this process can build images here: the lock directory can
    /// be made, and a file created in it. The error says why not.
    pub fn check_writable(&self) -> std::io::Result<()> {
        let locks = self.root.join("locks");
        std::fs::create_dir_all(&locks)?;
        tempfile::Builder::new().prefix(".probe-").tempfile_in(&locks).map(drop)
    }

    /// The cache root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The image directory for a key.
    fn image_dir(&self, key: &str) -> PathBuf {
        self.root.join("images").join(key)
    }

    /// Get the verified image of `wheel`, unpacking (or repairing) it if needed.
    pub fn unpack(&self, wheel: &Path) -> Result<UnpackedWheel, InstallError> {
        let filename = wheel_filename(wheel)?;
        let mut archive = File::open(wheel).map_err(InstallError::io("cannot open", wheel))?;
        let (digest, _) = sha256_reader(&mut archive).map_err(InstallError::io("cannot read", wheel))?;
        let key = hex(&digest);
        let dir = self.image_dir(&key);
        if self.read_only {
            return self.unpack_read_only(wheel, dir, key);
        }

        let locks = self.root.join("locks");
        std::fs::create_dir_all(&locks).map_err(InstallError::io("cannot create", &locks))?;
        let lock_path = locks.join(format!("{key}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(InstallError::io("cannot open", &lock_path))?;
        let lock_err = |source| InstallError::Lock { path: lock_path.clone(), source };

        lock.lock_shared().map_err(lock_err)?;
        if let Some(manifest) = load_verified(&dir) {
            return Ok(UnpackedWheel { dir, manifest, key, rebuilt: false, _lock: lock });
        }
        lock.unlock().map_err(lock_err)?;
        lock.lock().map_err(lock_err)?;
        // Another process may have built it while we waited.
        if let Some(manifest) = load_verified(&dir) {
            return Ok(UnpackedWheel { dir, manifest, key, rebuilt: false, _lock: lock });
        }
        remove_leftovers(&self.root.join("images"), &key);
        if dir.exists() {
            tracing::warn!("cache entry {} is corrupt; rebuilding", dir.display());
            discard(&dir, &key)?;
        }
        archive.seek(SeekFrom::Start(0)).map_err(InstallError::io("cannot read", wheel))?;
        let manifest = self.build(wheel, &filename, archive, &key)?;
        Ok(UnpackedWheel { dir, manifest, key, rebuilt: true, _lock: lock })
    }

    /// An image already in a cache this process cannot write: a shared lock
    /// through a read-only handle (`flock` needs no write access), then the
    /// usual verification.
    fn unpack_read_only(
        &self,
        wheel: &Path,
        dir: PathBuf,
        key: String,
    ) -> Result<UnpackedWheel, InstallError> {
        let not_cached = || InstallError::NotCached { wheel: wheel.to_path_buf(), cache: self.root.clone() };
        let lock_path = self.root.join("locks").join(format!("{key}.lock"));
        let lock = File::open(&lock_path).map_err(|_| not_cached())?;
        lock.lock_shared().map_err(|source| InstallError::Lock { path: lock_path.clone(), source })?;
        let manifest = load_verified(&dir).ok_or_else(not_cached)?;
        Ok(UnpackedWheel { dir, manifest, key, rebuilt: false, _lock: lock })
    }

    /// Unpack into a temporary directory, verify, then rename to `dir`.
    fn build(
        &self,
        wheel: &Path,
        filename: &WheelFilename,
        archive: File,
        key: &str,
    ) -> Result<Manifest, InstallError> {
        let dir = &self.image_dir(key);
        let images = self.root.join("images");
        std::fs::create_dir_all(&images).map_err(InstallError::io("cannot create", &images))?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".tmp-{key}-"))
            .tempdir_in(&images)
            .map_err(InstallError::io("cannot create a temporary directory in", &images))?;
        let files_dir = staging.path().join("files");
        std::fs::create_dir(&files_dir).map_err(InstallError::io("cannot create", &files_dir))?;
        let extracted = extract(wheel, archive, &files_dir)?;
        let manifest = Manifest::build(wheel, filename, &files_dir, &extracted)?;
        let manifest_path = staging.path().join("manifest.json");
        let json = serde_json::to_vec_pretty(&manifest).map_err(|e| InstallError::Io {
            action: "cannot serialise",
            path: manifest_path.clone(),
            source: e.into(),
        })?;
        std::fs::write(&manifest_path, json).map_err(InstallError::io("cannot write", &manifest_path))?;
        // `tempdir_in` makes the directory private (0700): open it up as
        // the rest of the cache is, so other users can link from the image.
        set_mode(staging.path(), 0o755);
        let staged = staging.keep();
        if let Err(source) = std::fs::rename(&staged, dir) {
            let _ = std::fs::remove_dir_all(&staged);
            return Err(InstallError::Io {
                action: "cannot move the unpacked wheel to",
                path: dir.to_path_buf(),
                source,
            });
        }
        tracing::debug!("unpacked {} into {}", wheel.display(), dir.display());
        Ok(manifest)
    }
}

/// The wheel file name of `wheel`, parsed.
pub(crate) fn wheel_filename(wheel: &Path) -> Result<WheelFilename, InstallError> {
    let name = wheel.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    WheelFilename::parse(name).map_err(|source| InstallError::Filename { path: wheel.to_path_buf(), source })
}

#[cfg(unix)]
pub(crate) fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
        tracing::debug!("cannot set the mode of `{}`: {e}", path.display());
    }
}

#[cfg(not(unix))]
pub(crate) fn set_mode(_path: &Path, _mode: u32) {}

fn load_verified(dir: &Path) -> Option<Manifest> {
    let manifest = Manifest::load(&dir.join("manifest.json"))?;
    manifest.verify(dir).then_some(manifest)
}

/// Remove staging and trash directories of `key` left by a process that was
/// killed mid-build. Only a holder of the key's exclusive lock creates them,
/// so under that lock any that exist are abandoned.
fn remove_leftovers(images: &Path, key: &str) {
    let Ok(entries) = std::fs::read_dir(images) else { return };
    let prefixes = [format!(".tmp-{key}-"), format!(".trash-{key}-")];
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            tracing::debug!("removing abandoned {}", entry.path().display());
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Move a broken image aside (atomic, so no reader sees half of it), then delete it.
fn discard(dir: &Path, key: &str) -> Result<(), InstallError> {
    let parent = dir.parent().unwrap_or(dir);
    let trash = tempfile::Builder::new()
        .prefix(&format!(".trash-{key}-"))
        .tempdir_in(parent)
        .map_err(InstallError::io("cannot create a temporary directory in", parent))?;
    let target = trash.path().join("old");
    std::fs::rename(dir, &target).map_err(InstallError::io("cannot move aside", dir))?;
    drop(trash);
    Ok(())
}
