//! Which envs are orphans, and removing them.
//!
//! An env is an orphan when the project it served is gone, when its base
//! interpreter is gone and no installed Python of the same implementation
//! and minor version could repair it, or (only when asked) when it has not
//! been used for a given time. Conda envs are never orphans here. The
//! active env and envs that running processes use are kept, whatever they
//! are. Removal goes through the one deletion gate ([`venvoy_fs::gate`]).

use std::path::{Path, PathBuf};

use crate::facts::{EnvFacts, Health};
use crate::homes::Tool;
use crate::walk::Scan;

/// Why an env is an orphan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrphanReason {
    /// The project directory it served no longer exists.
    ProjectGone { project: PathBuf },
    /// Its base interpreter is gone and no installed Python can replace it.
    PythonGone { base: Option<PathBuf>, python_version: Option<String> },
    /// Not used for longer than asked.
    Unused { days: u64 },
}

impl std::fmt::Display for OrphanReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ProjectGone { project } => write!(f, "its project `{}` is gone", project.display()),
            Self::PythonGone { base, python_version } => {
                let version = python_version.as_deref().unwrap_or("?");
                match base {
                    Some(b) => write!(
                        f,
                        "its Python `{}` is gone and no installed Python {version} can replace it",
                        b.display()
                    ),
                    None => write!(f, "it names no Python, and no installed Python {version} can replace it"),
                }
            }
            Self::Unused { days } => write!(f, "not used for {days} days"),
        }
    }
}

/// An env `gc` would remove.
#[derive(Debug, Clone)]
pub struct Orphan {
    pub path: PathBuf,
    pub tool: Tool,
    pub reasons: Vec<OrphanReason>,
    /// What removing it frees.
    pub bytes: u64,
}

/// An orphan `gc` keeps anyway, and why.
#[derive(Debug, Clone)]
pub struct Kept {
    pub path: PathBuf,
    pub why: String,
}

/// What decides orphanhood beyond the scan.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Installed interpreters: (implementation, lowercase; major; minor).
    pub installed: Vec<(String, u64, u64)>,
    /// Envs unused for longer than this many seconds are orphans too.
    pub older_than: Option<u64>,
    /// Now, in seconds since the Unix epoch.
    pub now: u64,
    /// The active env (`$VIRTUAL_ENV`).
    pub active: Option<PathBuf>,
}

/// The orphans of a scan, and the orphans kept because they are in use.
pub fn orphans(scan: &Scan, policy: &Policy) -> (Vec<Orphan>, Vec<Kept>) {
    let candidates: Vec<Orphan> = scan
        .envs
        .iter()
        .filter(|e| e.health != Health::Conda)
        .filter_map(|env| {
            let reasons = reasons(env, policy);
            (!reasons.is_empty()).then(|| Orphan {
                path: env.path.clone(),
                tool: env.tool,
                reasons,
                bytes: env.unique_size,
            })
        })
        .collect();
    let paths: Vec<PathBuf> = candidates.iter().map(|o| o.path.clone()).collect();
    let users = crate::procs::in_use(&paths);
    let mut out = Vec::new();
    let mut kept = Vec::new();
    for (orphan, user) in candidates.into_iter().zip(users) {
        if policy.active.as_deref() == Some(orphan.path.as_path()) {
            kept.push(Kept { path: orphan.path, why: "it is the active env (`$VIRTUAL_ENV`)".into() });
        } else if let Some(pid) = user {
            kept.push(Kept { path: orphan.path, why: format!("process {pid} is using it") });
        } else {
            out.push(orphan);
        }
    }
    (out, kept)
}

fn reasons(env: &EnvFacts, policy: &Policy) -> Vec<OrphanReason> {
    let mut reasons = Vec::new();
    if let (Some(project), Some(false)) = (&env.project, env.project_exists) {
        reasons.push(OrphanReason::ProjectGone { project: project.clone() });
    }
    if env.health == Health::BaseMissing && !replaceable(env, &policy.installed) {
        reasons.push(OrphanReason::PythonGone {
            base: env.base.clone(),
            python_version: env.python_version.clone(),
        });
    }
    if let (Some(limit), Some(used)) = (policy.older_than, env.last_used) {
        let idle = policy.now.saturating_sub(used);
        if idle > limit {
            reasons.push(OrphanReason::Unused { days: idle / 86_400 });
        }
    }
    reasons
}

fn replaceable(env: &EnvFacts, installed: &[(String, u64, u64)]) -> bool {
    let Some(version) = &env.python_version else { return false };
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else { return false };
    let implementation = env.implementation.as_deref().unwrap_or("cpython").to_ascii_lowercase();
    installed.iter().any(|(i, a, b)| *i == implementation && *a == major && *b == minor)
}

/// Remove the env at `path` through the one deletion gate (never an env
/// that also holds a project).
pub fn remove(path: &Path) -> Result<(), venvoy_fs::gate::DeleteError> {
    venvoy_fs::gate::delete_env(path, false)
}
