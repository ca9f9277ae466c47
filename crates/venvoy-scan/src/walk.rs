//! The walk: parallel, never following symlinks, never descending into a
//! venv it found or into directories that cannot hold one, on one file
//! system unless asked, and surviving what it cannot read.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use ignore::{WalkBuilder, WalkState};

use crate::facts::{self, EnvFacts};
use crate::homes::KnownHome;
use crate::size;

/// Directory names the walk never enters: they cannot hold an env, or
/// belong to tools that keep none there.
const PRUNE: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".cargo",
    ".rustup",
    ".npm",
    ".Trash",
    "site-packages",
];

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Directories to walk.
    pub roots: Vec<PathBuf>,
    /// Where tools keep their envs; they are walked too, and say which tool
    /// manages what is found in them.
    pub homes: Vec<KnownHome>,
    /// venvoy's registry: (env, project) pairs, included even outside the roots.
    pub registry: Vec<(PathBuf, Option<PathBuf>)>,
    /// venvoy's env home, to resolve bare names in `.venv` files.
    pub env_home: Option<PathBuf>,
    /// The user's home directory, for `~` in `.venv` files.
    pub home: Option<PathBuf>,
    /// Cross into other file systems.
    pub cross_file_systems: bool,
    /// Walker threads (0: as many as the machine has cores, at most 8).
    pub threads: usize,
}

/// Something the walk could not look at, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What a scan found.
#[derive(Debug, Clone)]
pub struct Scan {
    pub envs: Vec<EnvFacts>,
    pub skipped: Vec<Skipped>,
    /// Directories visited.
    pub dirs: u64,
    /// Disk use of all envs, each file counted once.
    pub total_bytes: u64,
}

/// What the walk itself collects, before facts are read.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub venvs: Vec<PathBuf>,
    pub conda: Vec<PathBuf>,
    /// `.venv` files: (the file, the env it names).
    pub pointers: Vec<(PathBuf, PathBuf)>,
    /// Directories holding `pyproject.toml` or `Pipfile` (for name hashes).
    pub projects: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
}

/// Walk the roots and the homes, then read every env's facts and sizes.
/// `progress` is called now and then with the number of directories seen.
pub fn scan(opts: &ScanOptions, progress: &(dyn Fn(u64) + Sync)) -> Scan {
    let dirs = AtomicU64::new(0);
    let mut found = walk_all(opts, &dirs, progress);
    let mut envs = Vec::new();
    for venv in &found.venvs {
        match venvoy_fs::venv::probe(venv) {
            Ok(()) => envs.push(facts::read(venv, opts, &found)),
            Err(why) => {
                found.skipped.push(Skipped { path: venv.clone(), reason: format!("not a venv: {why}") })
            }
        }
    }
    envs.extend(found.conda.iter().map(|c| facts::conda(c)));
    let total_bytes = size::measure(&mut envs, opts.threads);
    envs.sort_by(|a, b| a.path.cmp(&b.path));
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Scan { envs, skipped: found.skipped, dirs: dirs.load(Ordering::Relaxed), total_bytes }
}

/// The venvs a [`scan`] would find (not conda envs), sorted, without
/// reading their facts or measuring their disk use: for commands that
/// only need the paths (`doctor --all`).
pub fn venv_paths(opts: &ScanOptions, progress: &(dyn Fn(u64) + Sync)) -> Vec<PathBuf> {
    let dirs = AtomicU64::new(0);
    let found = walk_all(opts, &dirs, progress);
    found.venvs.into_iter().filter(|v| venvoy_fs::venv::is_venv(v)).collect()
}

/// The walk, plus the registry's envs outside it; each list sorted once.
fn walk_all(opts: &ScanOptions, dirs: &AtomicU64, progress: &(dyn Fn(u64) + Sync)) -> Found {
    let mut found = walk(opts, dirs, progress);
    let walked: std::collections::HashSet<PathBuf> = found.venvs.iter().cloned().collect();
    for (env, _) in &opts.registry {
        if !walked.contains(env) && std::fs::symlink_metadata(env.join("pyvenv.cfg")).is_ok() {
            found.venvs.push(env.clone());
        }
    }
    found.venvs.sort();
    found.venvs.dedup();
    found.conda.sort();
    found.conda.dedup();
    found
}

fn threads(requested: usize) -> usize {
    if requested > 0 {
        return requested;
    }
    std::thread::available_parallelism().map_or(2, |n| n.get().min(8))
}

fn walk(opts: &ScanOptions, dirs: &AtomicU64, progress: &(dyn Fn(u64) + Sync)) -> Found {
    let mut roots: Vec<PathBuf> = opts.roots.clone();
    roots.extend(opts.homes.iter().map(|h| h.path.clone()));
    roots.retain(|r| r.is_dir());
    roots.sort();
    roots.dedup();
    // A root inside another root is walked once, by the outer one.
    let outer: Vec<PathBuf> =
        roots.iter().filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o))).cloned().collect();
    let found = Mutex::new(Found::default());
    let Some((first, rest)) = outer.split_first() else { return found.into_inner().unwrap_or_default() };

    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    builder
        .standard_filters(false)
        .hidden(false)
        .follow_links(false)
        .same_file_system(!opts.cross_file_systems)
        .threads(threads(opts.threads))
        .filter_entry(|entry| {
            entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || !entry.file_name().to_str().is_some_and(|n| PRUNE.contains(&n))
        });
    builder.build_parallel().run(|| {
        let found = &found;
        Box::new(move |result| {
            let entry = match result {
                Ok(entry) => entry,
                Err(err) => {
                    let path = error_path(&err).unwrap_or_default();
                    let reason = io_reason(&err);
                    if let Ok(mut f) = found.lock() {
                        f.skipped.push(Skipped { path, reason });
                    }
                    return WalkState::Continue;
                }
            };
            let Some(file_type) = entry.file_type() else { return WalkState::Continue };
            let path = entry.path();
            if file_type.is_dir() {
                let n = dirs.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(128) {
                    progress(n);
                }
                if std::fs::symlink_metadata(path.join("pyvenv.cfg")).is_ok() {
                    if let Ok(mut f) = found.lock() {
                        f.venvs.push(path.to_path_buf());
                    }
                    return WalkState::Skip;
                }
                // `symlink_metadata`: a `conda-meta` that is a link to a directory
                // elsewhere does not make an env (the walk follows no links).
                if may_be_conda(path)
                    && std::fs::symlink_metadata(path.join("conda-meta")).is_ok_and(|m| m.is_dir())
                {
                    if let Ok(mut f) = found.lock() {
                        f.conda.push(path.to_path_buf());
                    }
                    // A conda installation holds its envs in `envs/`: keep walking it.
                    return if path.join("envs").is_dir() { WalkState::Continue } else { WalkState::Skip };
                }
                return WalkState::Continue;
            }
            let name = entry.file_name();
            if file_type.is_file() && name == ".venv" {
                if let Some(target) = read_pointer(path, opts.env_home.as_deref(), opts.home.as_deref())
                    && let Ok(mut f) = found.lock()
                {
                    f.pointers.push((path.to_path_buf(), target));
                }
            } else if file_type.is_file()
                && (name == "pyproject.toml" || name == "Pipfile")
                && let (Some(dir), Ok(mut f)) = (path.parent(), found.lock())
            {
                f.projects.push(dir.to_path_buf());
            }
            WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_default();
    found.projects.sort();
    found.projects.dedup();
    found
}

/// Where conda keeps envs and base installations: `<anything>/envs/<name>`,
/// or an installation directory named as conda's installers name them. Only
/// these are checked for `conda-meta`, which keeps the walk at one lookup per
/// directory.
fn may_be_conda(dir: &Path) -> bool {
    const INSTALLS: &[&str] =
        &["miniconda3", "anaconda3", "miniforge3", "mambaforge", "micromamba", ".conda"];
    dir.parent().and_then(Path::file_name).is_some_and(|p| p == "envs")
        || dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| INSTALLS.contains(&n))
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn io_reason(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => io_reason(err),
        ignore::Error::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            "permission denied".into()
        }
        ignore::Error::Loop { .. } => "symlink loop".into(),
        other => other.to_string(),
    }
}

/// The env a `.venv` file names (read by venvoy-env's one pointer-file
/// reader), when it reads as one.
pub(crate) fn read_pointer(file: &Path, env_home: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    match venvoy_env::pointer::read(file, home).ok()? {
        venvoy_env::pointer::Pointer::Path(path) => Some(venvoy_fs::path::normalize(&path)),
        venvoy_env::pointer::Pointer::Name(name) => env_home.map(|h| h.join(name)),
    }
}
