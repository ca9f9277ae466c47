//! Copying an env's tree to a new place: unchanged files linked (see
//! [`crate::link`]), files that mention the old path written fresh with it
//! replaced, symlinks into the env re-pointed, `__pycache__` left behind
//! (its byte code names the old paths; Python rebuilds it). The source is
//! only ever read. Directories are handed out to a few threads, which keep
//! the file system busy with `mkdir` and `link` in parallel.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};

use sha2::{Digest, Sha256};
use venvoy_dist::FileHash;

use crate::error::RelocateError;
use crate::kind::{self, Kind, MAX_SCANNED};
use crate::link::{LinkMode, Linked, Linker};
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

/// One directory to copy: source, destination, path relative to the root.
struct DirJob {
    src: PathBuf,
    dst: PathBuf,
    rel: PathBuf,
}

/// The directories waiting to be copied, shared by the workers.
#[derive(Default)]
struct Queue {
    jobs: Vec<DirJob>,
    /// Directories being worked on: more jobs may still come from them.
    active: usize,
    failed: Option<RelocateError>,
}

struct Shared<'a> {
    job: &'a TreeCopy<'a>,
    linker: Linker,
    /// The process's umask: directories whose mode it would change get a
    /// `chmod` at the end, the others none.
    umask: u32,
    queue: Mutex<Queue>,
    wake: Condvar,
}

/// What one worker did.
#[derive(Default)]
struct Local {
    stats: Stats,
    rewritten: Rewritten,
    records: Vec<PathBuf>,
    dir_modes: Vec<(PathBuf, u32)>,
}

/// Workers: linking and `mkdir` wait on the file system more than on the
/// CPU, so a few more threads than cores keep it busy.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(4, |n| n.get() * 2).clamp(4, 16)
}

impl TreeCopy<'_> {
    /// Copy the tree at `src` into the existing, empty directory `dst`.
    pub fn run(&self, src: &Path, dst: &Path) -> Result<Stats, RelocateError> {
        let shared = Shared {
            job: self,
            linker: Linker::new(self.link),
            umask: venvoy_fs::atomic::current_umask(),
            queue: Mutex::new(Queue {
                jobs: vec![DirJob { src: src.to_path_buf(), dst: dst.to_path_buf(), rel: PathBuf::new() }],
                ..Queue::default()
            }),
            wake: Condvar::new(),
        };
        let locals: Vec<Local> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers()).map(|_| scope.spawn(|| shared.work())).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
        });
        if let Some(err) = shared.queue.into_inner().unwrap_or_else(PoisonError::into_inner).failed {
            return Err(err);
        }
        let mut total = Local::default();
        for local in locals {
            total.stats.add(&local.stats);
            total.rewritten.extend(local.rewritten);
            total.records.extend(local.records);
            total.dir_modes.extend(local.dir_modes);
        }
        // `RECORD`s last: they list the hashes of files rewritten above.
        let linker = Linker::new(self.link);
        for rel in std::mem::take(&mut total.records) {
            self.record(src, dst, &rel, &linker, &mut total)?;
        }
        let root_mode = std::fs::metadata(src).map_err(RelocateError::io("read", src))?.mode();
        total.dir_modes.push((dst.to_path_buf(), root_mode));
        for (dir, mode) in &total.dir_modes {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o7777))
                .map_err(RelocateError::io("set the permissions of", dir))?;
        }
        Ok(total.stats)
    }

    /// A `RECORD`, once every file it may list has been written.
    fn record(
        &self,
        src: &Path,
        dst: &Path,
        rel: &Path,
        linker: &Linker,
        local: &mut Local,
    ) -> Result<(), RelocateError> {
        let (from, to) = (src.join(rel), dst.join(rel));
        let meta = std::fs::metadata(&from).map_err(RelocateError::io("read", &from))?;
        let bytes = std::fs::read(&from).map_err(RelocateError::io("read", &from))?;
        let new = record::rewrite(&bytes, rel, self.prefixes, &local.rewritten)
            .or_else(|| self.prefixes.replace(&bytes));
        match new {
            Some(new) => local.write(&to, rel, &new, meta.mode()),
            None => local.place(linker, &from, &to),
        }
    }
}

impl Stats {
    fn add(&mut self, other: &Stats) {
        self.reflinked += other.reflinked;
        self.hardlinked += other.hardlinked;
        self.copied += other.copied;
        self.rewritten += other.rewritten;
        self.symlinks += other.symlinks;
        self.caches_dropped += other.caches_dropped;
    }
}

impl Shared<'_> {
    /// One worker: take directories until there are none left (or one failed).
    fn work(&self) -> Local {
        let mut local = Local::default();
        loop {
            let job = {
                let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                loop {
                    if queue.failed.is_some() {
                        return local;
                    }
                    if let Some(job) = queue.jobs.pop() {
                        queue.active += 1;
                        break job;
                    }
                    if queue.active == 0 {
                        return local;
                    }
                    queue = self.wake.wait(queue).unwrap_or_else(PoisonError::into_inner);
                }
            };
            let result = self.dir(&job, &mut local);
            let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            queue.active -= 1;
            if let Err(err) = result {
                queue.failed.get_or_insert(err);
            }
            if queue.failed.is_some() || (queue.active == 0 && queue.jobs.is_empty()) {
                self.wake.notify_all();
            }
        }
    }

    fn push(&self, job: DirJob) {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner).jobs.push(job);
        self.wake.notify_one();
    }

    fn dir(&self, job: &DirJob, local: &mut Local) -> Result<(), RelocateError> {
        let entries = std::fs::read_dir(&job.src).map_err(RelocateError::io("read", &job.src))?;
        for entry in entries {
            let entry = entry.map_err(RelocateError::io("read", &job.src))?;
            let name = entry.file_name();
            let (from, to, rel) = (entry.path(), job.dst.join(&name), job.rel.join(&name));
            let file_type = entry.file_type().map_err(RelocateError::io("read", &from))?;
            if file_type.is_dir() {
                if name == "__pycache__" {
                    local.stats.caches_dropped += 1;
                    continue;
                }
                // Writable while being filled; a different mode is set at the end.
                let mode = entry.metadata().map_err(RelocateError::io("read", &from))?.mode() & 0o7777;
                let created = (mode | 0o700) & 0o777;
                std::fs::DirBuilder::new()
                    .mode(created)
                    .create(&to)
                    .map_err(RelocateError::io("create", &to))?;
                if created & !self.umask != mode {
                    local.dir_modes.push((to.clone(), mode));
                }
                self.push(DirJob { src: from, dst: to, rel });
            } else if file_type.is_symlink() {
                let target = std::fs::read_link(&from).map_err(RelocateError::io("read", &from))?;
                let target = match target.is_absolute() {
                    true => self.job.prefixes.map_path(&target).unwrap_or(target),
                    false => target,
                };
                std::os::unix::fs::symlink(&target, &to).map_err(RelocateError::io("create", &to))?;
                local.stats.symlinks += 1;
            } else if file_type.is_file() {
                self.file(&entry, &from, &to, &rel, local)?;
            } else {
                tracing::warn!("skipping `{}`: not a file, directory or symlink", from.display());
            }
        }
        Ok(())
    }

    fn file(
        &self,
        entry: &std::fs::DirEntry,
        from: &Path,
        to: &Path,
        rel: &Path,
        local: &mut Local,
    ) -> Result<(), RelocateError> {
        let job = self.job;
        let kind = kind::classify(rel, job.scripts_dir, job.activation);
        if kind == Kind::Record {
            local.records.push(rel.to_path_buf());
            return Ok(());
        }
        if kind == Kind::Activation {
            let name = rel.file_name().and_then(OsStr::to_str).unwrap_or_default();
            if let Some(text) = job.activation.get(name) {
                let mode = entry.metadata().map_err(RelocateError::io("read", from))?.mode();
                return local.write(to, rel, text, mode);
            }
        }
        if kind.is_scanned() {
            let meta = entry.metadata().map_err(RelocateError::io("read", from))?;
            // A big file outside site-packages is data or a binary: linked unread.
            if kind != Kind::Text || meta.len() <= MAX_SCANNED {
                let bytes = std::fs::read(from).map_err(RelocateError::io("read", from))?;
                if let Some(new) = kind::rewrite(kind, &bytes, job.prefixes) {
                    return local.write(to, rel, &new, meta.mode());
                }
                if kind == Kind::PathList {
                    write_new(to, &bytes, meta.mode())?;
                    local.stats.copied += 1;
                    return Ok(());
                }
            }
        }
        local.place(&self.linker, from, to)
    }
}

impl Local {
    fn place(&mut self, linker: &Linker, from: &Path, to: &Path) -> Result<(), RelocateError> {
        match linker.place(from, to).map_err(RelocateError::io("create", to))? {
            Linked::Cloned => self.stats.reflinked += 1,
            Linked::Hardlinked => self.stats.hardlinked += 1,
            Linked::Copied => self.stats.copied += 1,
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
