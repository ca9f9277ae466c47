//! Copying an env's tree to a new place: unchanged files linked (see
//! [`crate::link`]), files that mention the old path written fresh with it
//! replaced, symlinks into the env re-pointed, `__pycache__` left behind
//! (its byte code names the old paths; Python rebuilds it). The source is
//! only ever read.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use venvoy_dist::FileHash;

use crate::error::RelocateError;
use crate::kind::{self, Kind, MAX_SCANNED};
use crate::link::{LinkMode, Linker, Placed};
use crate::prefix::Prefixes;
use crate::record::{self, Rewritten};

/// What a copy did, file by file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Files placed unchanged, by how.
    pub reflinked: u64,
    pub hardlinked: u64,
    pub copied: u64,
    /// Files written fresh with the new path.
    pub rewritten: u64,
    pub symlinks: u64,
    /// `__pycache__` directories not carried over.
    pub caches_dropped: u64,
}

/// What the copy needs to know about the env.
pub struct TreeCopy<'a> {
    pub prefixes: &'a Prefixes,
    /// `bin`, or `Scripts` on Windows layouts.
    pub scripts_dir: &'a OsStr,
    /// The activation scripts for the new place, by name.
    pub activation: &'a HashMap<String, Vec<u8>>,
    pub link: LinkMode,
}

struct Walk<'a> {
    job: &'a TreeCopy<'a>,
    linker: Linker,
    stats: Stats,
    rewritten: Rewritten,
    records: Vec<PathBuf>,
    dir_modes: Vec<(PathBuf, u32)>,
}

impl TreeCopy<'_> {
    /// Copy the tree at `src` into the existing, empty directory `dst`.
    pub fn run(&self, src: &Path, dst: &Path) -> Result<Stats, RelocateError> {
        let mut walk = Walk {
            job: self,
            linker: Linker::new(self.link),
            stats: Stats::default(),
            rewritten: Rewritten::new(),
            records: Vec::new(),
            dir_modes: Vec::new(),
        };
        walk.dir(src, dst, Path::new(""))?;
        for rel in std::mem::take(&mut walk.records) {
            walk.record(src, dst, &rel)?;
        }
        let root_mode = fs_err::metadata(src).map_err(RelocateError::io("read", src))?.mode();
        walk.dir_modes.push((dst.to_path_buf(), root_mode));
        for (dir, mode) in &walk.dir_modes {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o7777))
                .map_err(RelocateError::io("set the permissions of", dir))?;
        }
        Ok(walk.stats)
    }
}

impl Walk<'_> {
    fn dir(&mut self, src: &Path, dst: &Path, rel: &Path) -> Result<(), RelocateError> {
        let entries = std::fs::read_dir(src).map_err(RelocateError::io("read", src))?;
        for entry in entries {
            let entry = entry.map_err(RelocateError::io("read", src))?;
            let name = entry.file_name();
            let (from, to, rel) = (entry.path(), dst.join(&name), rel.join(&name));
            let file_type = entry.file_type().map_err(RelocateError::io("read", &from))?;
            if file_type.is_dir() {
                if name == "__pycache__" {
                    self.stats.caches_dropped += 1;
                    continue;
                }
                std::fs::create_dir(&to).map_err(RelocateError::io("create", &to))?;
                // Writable while being filled; the real mode is set at the end.
                let mode = entry.metadata().map_err(RelocateError::io("read", &from))?.mode();
                self.dir(&from, &to, &rel)?;
                self.dir_modes.push((to, mode));
            } else if file_type.is_symlink() {
                self.symlink(&from, &to)?;
            } else if file_type.is_file() {
                self.file(&entry, &from, &to, &rel)?;
            } else {
                tracing::warn!("skipping `{}`: not a file, directory or symlink", from.display());
            }
        }
        Ok(())
    }

    fn symlink(&mut self, from: &Path, to: &Path) -> Result<(), RelocateError> {
        let target = std::fs::read_link(from).map_err(RelocateError::io("read", from))?;
        let target =
            if target.is_absolute() { self.job.prefixes.map_path(&target).unwrap_or(target) } else { target };
        std::os::unix::fs::symlink(&target, to).map_err(RelocateError::io("create", to))?;
        self.stats.symlinks += 1;
        Ok(())
    }

    fn file(
        &mut self,
        entry: &std::fs::DirEntry,
        from: &Path,
        to: &Path,
        rel: &Path,
    ) -> Result<(), RelocateError> {
        let kind = kind::classify(rel, self.job.scripts_dir, self.job.activation);
        if kind == Kind::Record {
            self.records.push(rel.to_path_buf());
            return Ok(());
        }
        if kind == Kind::Activation {
            let name = rel.file_name().and_then(OsStr::to_str).unwrap_or_default();
            if let Some(text) = self.job.activation.get(name) {
                let mode = entry.metadata().map_err(RelocateError::io("read", from))?.mode();
                return self.write(to, rel, text, mode);
            }
        }
        if kind.is_scanned() {
            let meta = entry.metadata().map_err(RelocateError::io("read", from))?;
            // A big file outside site-packages is data or a binary: linked unread.
            if kind != Kind::Text || meta.len() <= MAX_SCANNED {
                let bytes = std::fs::read(from).map_err(RelocateError::io("read", from))?;
                if let Some(new) = kind::rewrite(kind, &bytes, self.job.prefixes) {
                    return self.write(to, rel, &new, meta.mode());
                }
                if kind == Kind::PathList {
                    return self.write_copy(to, &bytes, meta.mode());
                }
            }
        }
        self.place(from, to)
    }

    fn place(&mut self, from: &Path, to: &Path) -> Result<(), RelocateError> {
        match self.linker.place(from, to).map_err(RelocateError::io("create", to))? {
            Placed::Reflinked => self.stats.reflinked += 1,
            Placed::Hardlinked => self.stats.hardlinked += 1,
            Placed::Copied => self.stats.copied += 1,
        }
        Ok(())
    }

    /// Write a rewritten file and remember its hash for `RECORD`.
    fn write(&mut self, to: &Path, rel: &Path, bytes: &[u8], mode: u32) -> Result<(), RelocateError> {
        write_new(to, bytes, mode)?;
        let hash = FileHash::sha256(Sha256::digest(bytes).to_vec());
        self.rewritten.insert(rel.to_path_buf(), (hash, bytes.len() as u64));
        self.stats.rewritten += 1;
        Ok(())
    }

    fn write_copy(&mut self, to: &Path, bytes: &[u8], mode: u32) -> Result<(), RelocateError> {
        write_new(to, bytes, mode)?;
        self.stats.copied += 1;
        Ok(())
    }

    /// A `RECORD`, once every file it may list has been written.
    fn record(&mut self, src: &Path, dst: &Path, rel: &Path) -> Result<(), RelocateError> {
        let (from, to) = (src.join(rel), dst.join(rel));
        let meta = fs_err::metadata(&from).map_err(RelocateError::io("read", &from))?;
        let bytes = std::fs::read(&from).map_err(RelocateError::io("read", &from))?;
        let new = record::rewrite(&bytes, rel, self.job.prefixes, &self.rewritten)
            .or_else(|| self.job.prefixes.replace(&bytes));
        match new {
            Some(new) => self.write(&to, rel, &new, meta.mode()),
            None => self.place(&from, &to),
        }
    }
}

/// Create `path` (which must not exist) with `bytes` and `mode`.
pub fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), RelocateError> {
    let wrap = RelocateError::io("write", path);
    let result = (|| {
        let mut file = std::fs::File::create_new(path)?;
        file.write_all(bytes)?;
        file.set_permissions(std::fs::Permissions::from_mode(mode & 0o7777))
    })();
    result.map_err(wrap)
}
