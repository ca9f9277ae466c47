//! `venvoy info`: what an env is, read from disk (the base interpreter's
//! version comes from the query cache).

use std::path::{Path, PathBuf};

use crate::creator::{Creator, creator_of};
use crate::doctor::Diagnosis;
use crate::health::{Health, health_of};
use crate::packages;
use crate::size::disk_usage;
use crate::venv::Venv;

/// The base interpreter as `info` shows it.
#[derive(Debug, Clone)]
pub struct BaseInfo {
    pub path: Option<PathBuf>,
    pub exists: bool,
    pub version: Option<String>,
    /// Whether the base's version still equals `pyvenv.cfg`'s.
    pub version_matches: Option<bool>,
    /// Why the base interpreter was not run (then its version is unknown).
    pub not_run: Option<String>,
}

/// Everything `venvoy info` reports.
#[derive(Debug, Clone)]
pub struct EnvInfo {
    pub path: PathBuf,
    pub prompt: String,
    pub version: Option<String>,
    pub implementation: Option<String>,
    pub base: BaseInfo,
    pub include_system_site_packages: bool,
    pub relocatable: bool,
    pub creator: Option<Creator>,
    pub size_bytes: u64,
    pub distributions: usize,
    pub health: Health,
    pub reason: Option<String>,
}

/// Describe `venv` given its diagnosis. `home_dir`: the user's home, for the user site.
pub fn describe(venv: &Venv, diagnosis: &Diagnosis, home_dir: Option<&Path>) -> EnvInfo {
    let (health, reason) = health_of(diagnosis);
    let listing = packages::list(&mut packages::search_path(venv, home_dir), packages::Detail::Core);
    let version_matches = match (&diagnosis.cfg_version, &diagnosis.base_version) {
        (Some(_), Some(_)) => Some(!diagnosis.has(crate::check::CheckId::BaseVersion)),
        _ => None,
    };
    EnvInfo {
        path: venv.root.clone(),
        prompt: venv.prompt(),
        version: diagnosis.cfg_version.clone(),
        implementation: venv
            .implementation()
            .map(str::to_string)
            .or_else(|| diagnosis.base_implementation.clone()),
        base: BaseInfo {
            path: diagnosis.base.clone(),
            exists: diagnosis.base_exists,
            version: diagnosis.base_version.clone(),
            version_matches,
            not_run: diagnosis.base_not_run.clone(),
        },
        include_system_site_packages: venv.cfg.include_system_site_packages(),
        relocatable: venv.relocatable(),
        creator: creator_of(&venv.cfg),
        size_bytes: disk_usage(&venv.root),
        distributions: listing.sorted().len(),
        health,
        reason,
    }
}
