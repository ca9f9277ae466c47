//! What each env is, read from disk without running anything: which tool
//! manages it and which wrote it, its Python, the project it serves, its
//! health and when it was last used.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use sha2::{Digest, Sha256};
use venvoy_inspect::Venv;
use venvoy_inspect::base::{Base, base_of};
use venvoy_inspect::check::CheckId;
use venvoy_inspect::creator::creator_of;
use venvoy_inspect::doctor::disk_findings;

use crate::homes::{Tool, tool_of};
use crate::walk::{Found, ScanOptions};

/// An env's state, as far as the disk tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    /// `pyvenv.cfg` malformed, or interpreter links broken.
    Broken,
    /// The base interpreter is gone.
    BaseMissing,
    /// A conda env: not a venv; venvoy lists it and leaves it alone.
    Conda,
}

impl Health {
    pub fn word(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Broken => "broken",
            Self::BaseMissing => "base-missing",
            Self::Conda => "conda",
        }
    }
}

/// How the project of an env was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectSource {
    /// venvoy's registry.
    Registry,
    /// A PEP 832 `.venv` file in the project names the env.
    VenvFile,
    /// pipenv's `.project` file inside the env.
    PipenvProject,
    /// The env's name carries the hash of the project's path (poetry).
    NameHash,
    /// The env sits in the project (`.venv`, `.tox/*`, `.nox/*`).
    Enclosing,
}

impl ProjectSource {
    /// Its stable id, as `scan --json` shows it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Registry => "registry",
            Self::VenvFile => "venv-file",
            Self::PipenvProject => "pipenv-project",
            Self::NameHash => "name-hash",
            Self::Enclosing => "enclosing",
        }
    }
}

/// One env found by a scan.
#[derive(Debug, Clone)]
pub struct EnvFacts {
    pub path: PathBuf,
    /// The tool that manages it.
    pub tool: Tool,
    /// The tool that wrote its `pyvenv.cfg` (`venvoy`, `uv`, `virtualenv`, `venv`).
    pub creator: Option<&'static str>,
    /// That tool's version, when it wrote it.
    pub creator_version: Option<String>,
    pub python_version: Option<String>,
    pub implementation: Option<String>,
    pub project: Option<PathBuf>,
    pub project_source: Option<ProjectSource>,
    /// Whether the project directory still exists (`None`: no project known).
    pub project_exists: Option<bool>,
    pub health: Health,
    /// Why it is not ok.
    pub problem: Option<String>,
    /// The base interpreter it points to.
    pub base: Option<PathBuf>,
    /// Disk use of the env alone (allocated blocks, hardlinks inside it once).
    pub size: u64,
    /// What removing it would free: its files not shared with another env.
    pub unique_size: u64,
    /// Seconds since the Unix epoch; see [`last_used`].
    pub last_used: Option<u64>,
}

/// A conda env (`conda-meta/`), listed as such.
pub(crate) fn conda(path: &Path) -> EnvFacts {
    EnvFacts {
        path: path.to_path_buf(),
        tool: Tool::Conda,
        creator: Some("conda"),
        creator_version: None,
        python_version: None,
        implementation: None,
        project: None,
        project_source: None,
        project_exists: None,
        health: Health::Conda,
        problem: None,
        base: None,
        size: 0,
        unique_size: 0,
        last_used: mtime_secs(&path.join("conda-meta")),
    }
}

/// Read the facts of the venv at `path`.
pub(crate) fn read(path: &Path, opts: &ScanOptions, found: &Found) -> EnvFacts {
    let venv = Venv::open(path);
    let last_used = last_used(&venv);
    let creator = creator_of(&venv.cfg);
    let base = base_of(&venv);
    let (health, problem) = health(&venv, &base);
    let tool = match tool_of(path, &opts.homes) {
        Tool::Other if creator.as_ref().is_some_and(|c| c.tool == "venvoy") => Tool::Venvoy,
        tool => tool,
    };
    let (project, project_source) = project_of(path, tool, opts, found).unzip();
    EnvFacts {
        path: path.to_path_buf(),
        tool,
        creator: creator.as_ref().map(|c| c.tool),
        creator_version: creator.and_then(|c| c.version),
        python_version: venv.version().map(|(a, b, c)| match c {
            Some(c) => format!("{a}.{b}.{c}"),
            None => format!("{a}.{b}"),
        }),
        implementation: venv.implementation().map(str::to_string),
        project_exists: project.as_ref().map(|p| p.is_dir()),
        project,
        project_source,
        health,
        problem,
        base: base.path,
        size: 0,
        unique_size: 0,
        last_used,
    }
}

/// The health word and the reason, from the doctor's checks of the env's
/// files alone (`venvoy_inspect::doctor::disk_findings`): nothing runs.
fn health(venv: &Venv, base: &Base) -> (Health, Option<String>) {
    let findings = disk_findings(venv, base);
    match findings.first() {
        None => (Health::Ok, None),
        Some(f) if f.id == CheckId::BaseMissing => (Health::BaseMissing, Some(f.message.clone())),
        Some(f) => (Health::Broken, Some(f.message.clone())),
    }
}

/// When the env was last used, as well as the disk can tell: the newest of
/// the time `pyvenv.cfg` was last read (every Python start reads it; under
/// the default `relatime` mount option the time moves at most once a day,
/// under `noatime` never) and the time anything was last installed or
/// removed (the modification time of site-packages and of the scripts
/// directory).
pub fn last_used(venv: &Venv) -> Option<u64> {
    let cfg_read = std::fs::metadata(venv.root.join("pyvenv.cfg")).ok().and_then(|m| m.accessed().ok());
    let mut times: Vec<SystemTime> = cfg_read.into_iter().collect();
    for dir in venv.site_packages().iter().chain(std::iter::once(&venv.bin)) {
        if let Ok(t) = std::fs::metadata(dir).and_then(|m| m.modified()) {
            times.push(t);
        }
    }
    times.into_iter().max().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs())
}

fn mtime_secs(path: &Path) -> Option<u64> {
    let t = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    t.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

fn project_of(env: &Path, tool: Tool, opts: &ScanOptions, found: &Found) -> Option<(PathBuf, ProjectSource)> {
    if let Some(project) = opts.registry.iter().find(|(e, _)| e == env).and_then(|(_, p)| p.clone()) {
        return Some((project, ProjectSource::Registry));
    }
    if let Some((file, _)) = found.pointers.iter().find(|(_, target)| target == env) {
        return file.parent().map(|p| (p.to_path_buf(), ProjectSource::VenvFile));
    }
    let dot_project = env.join(".project");
    if let Ok(text) = venvoy_fs::read::read_to_string_capped(&dot_project, venvoy_fs::read::SMALL) {
        let line = text.lines().next().unwrap_or_default().trim();
        if !line.is_empty() {
            return Some((PathBuf::from(line), ProjectSource::PipenvProject));
        }
    }
    match tool {
        Tool::Project => env.parent().map(|p| (p.to_path_buf(), ProjectSource::Enclosing)),
        Tool::Tox | Tool::Nox => env.parent()?.parent().map(|p| (p.to_path_buf(), ProjectSource::Enclosing)),
        Tool::Poetry | Tool::Pipenv => {
            let name = env.file_name()?.to_str()?;
            found
                .projects
                .iter()
                .find(|p| name_hash_matches(name, p))
                .map(|p| (p.clone(), ProjectSource::NameHash))
        }
        _ => None,
    }
}

/// Whether an env name `<name>-<hash>` (pipenv) or `<name>-<hash>-pyX.Y`
/// (poetry) carries the hash both derive from the project's path: the
/// first 8 characters of the URL-safe base64 of the SHA-256 of the path.
/// The hash may itself hold `-` and `_`.
pub fn name_hash_matches(env_name: &str, project: &Path) -> bool {
    let digest = Sha256::digest(project.as_os_str().as_encoded_bytes());
    let encoded = base64::engine::general_purpose::URL_SAFE.encode(digest);
    let tagged = format!("-{}", &encoded[..8]);
    // poetry's `-pyX.Y`: a `.` never appears in the hash, so this cannot be part of it.
    let stem = env_name
        .rsplit_once("-py")
        .filter(|(_, v)| v.contains('.') && v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .map_or(env_name, |(stem, _)| stem);
    stem.ends_with(&tagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_name_hash() {
        // base64.urlsafe_b64encode(hashlib.sha256(b"/src/api").digest()).decode()[:8]
        let digest = Sha256::digest(b"/src/api");
        let hash = &base64::engine::general_purpose::URL_SAFE.encode(digest)[..8];
        assert!(name_hash_matches(&format!("api-{hash}-py3.12"), Path::new("/src/api")));
        assert!(!name_hash_matches(&format!("api-{hash}-py3.12"), Path::new("/src/other")));
        assert!(name_hash_matches(&format!("api-{hash}"), Path::new("/src/api")), "pipenv's form");
        assert!(!name_hash_matches(&format!("api-{hash}x-py3.12"), Path::new("/src/api")));
    }

    #[test]
    fn hashes_holding_a_dash_or_an_underscore_match() {
        let hash_of = |path: &str| {
            base64::engine::general_purpose::URL_SAFE.encode(Sha256::digest(path))[..8].to_owned()
        };
        for wanted in ['-', '_'] {
            let path = (0..10_000)
                .map(|i| format!("/home/u/src/p{i}"))
                .find(|p| hash_of(p)[1..7].contains(wanted))
                .unwrap();
            let hash = hash_of(&path);
            for name in [format!("p-{hash}-py3.12"), format!("p-{hash}-py3.9"), format!("p-{hash}")] {
                assert!(name_hash_matches(&name, Path::new(&path)), "{name} for {path}");
                assert!(!name_hash_matches(&name, Path::new("/home/u/src/other")), "{name}");
            }
        }
    }
}
