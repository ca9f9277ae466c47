//! Seeding an environment with pip (and setuptools, wheel): choosing a wheel
//! for each package from the sources in order — venvoy's download cache, the
//! wheels the interpreter's `ensurepip` ships, a package index — and
//! installing them.
//!
//! Local wheels (cache and ensurepip) need no network: the newest of them
//! that supports the interpreter wins, the cache's on a tie. The index is
//! asked only when no local wheel fits, and [`Sources::update`] fetches the
//! index's newest wheels into the cache.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::Version;
use venvoy_dist::{Metadata, WheelFilename, normalize_name};

use crate::index::{Index, IndexConfig, IndexFile};
use crate::requires_python::PythonVersion;
use crate::store::{StoredInfo, WheelStore};
use crate::{InstallScheme, Installation, LinkMode, SeedError, TargetPython, WheelCache, install_wheel};

/// Where a chosen wheel comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// venvoy's download cache.
    Cache,
    /// The interpreter's `ensurepip` (or the distribution's wheel directory).
    Ensurepip,
    /// Downloaded from the index just now (and cached).
    Index,
}

impl Origin {
    /// Its stable id (`create --json` shows it).
    pub fn word(self) -> &'static str {
        match self {
            Self::Cache => "cache",
            Self::Ensurepip => "ensurepip",
            Self::Index => "index",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Cache => "venvoy's cache",
            Self::Ensurepip => "the interpreter's ensurepip",
            Self::Index => "the index",
        })
    }
}

/// A wheel chosen for a seed package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedWheel {
    /// The package name as asked for, normalised.
    pub name: String,
    /// The wheel's version.
    pub version: String,
    /// The wheel file.
    pub path: PathBuf,
    /// Where it came from.
    pub origin: Origin,
}

/// Told about downloads, so a caller can show progress.
pub trait Progress {
    /// A download of `name` starts; `size` when the server says.
    fn start(&self, name: &str, size: Option<u64>);
    /// `done` bytes of `total` have arrived.
    fn advance(&self, done: u64, total: Option<u64>);
    /// The download ended (done or failed).
    fn finish(&self);
}

/// Progress reported to nobody.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64, _: Option<u64>) {}
    fn finish(&self) {}
}

/// The wheels to choose from, in order of preference.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// venvoy's download cache (also where index downloads go).
    pub store: Option<WheelStore>,
    /// Wheel files the interpreter ships for `ensurepip`.
    pub ensurepip: Vec<PathBuf>,
    /// The index to ask when nothing local fits.
    pub index: Option<IndexConfig>,
}

/// The package names `--seed` accepts, and the default set.
pub const SEED_PACKAGES: [&str; 3] = ["pip", "setuptools", "wheel"];

/// Seed wheels are installed without their dependencies, so a package is
/// capped below the first release that needs any: `wheel` 0.46 started
/// depending on `packaging`.
fn below(name: &str) -> Option<Version> {
    match name {
        "wheel" => Version::from_str("0.46").ok(),
        _ => None,
    }
}

/// A candidate: version, file name and where it is.
struct Candidate {
    version: Version,
    filename: WheelFilename,
    path: PathBuf,
    origin: Origin,
}

impl Sources {
    /// Choose a wheel for each of `packages` (normalised names) for an
    /// interpreter `python` with tags `target`. Downloads (only when no local
    /// wheel fits) go into the store and are reported to `progress`.
    pub fn choose(
        &self,
        packages: &[String],
        python: PythonVersion,
        target: &TargetPython,
        progress: &dyn Progress,
    ) -> Result<Vec<SeedWheel>, SeedError> {
        let mut index: Option<Result<Index, SeedError>> = None;
        let mut chosen = Vec::new();
        for package in packages {
            let name = normalize_name(package);
            if let Some(best) = self.best_local(&name, python, target) {
                tracing::debug!("{name}: using `{}` from {}", best.path.display(), best.origin);
                chosen.push(SeedWheel {
                    name,
                    version: best.filename.version.clone(),
                    path: best.path,
                    origin: best.origin,
                });
                continue;
            }
            let (Some(store), Some(config)) = (&self.store, &self.index) else {
                return Err(SeedError::NoSource { package: name, python: python.to_string(), reason: None });
            };
            let client = match index.get_or_insert_with(|| Index::new(config.clone())) {
                Ok(client) => client,
                Err(err) => return Err(err_as_no_source(&name, python, err)),
            };
            match fetch_newest(client, store, &name, &[python], target, progress) {
                Ok(mut fetched) => {
                    let (path, filename) = fetched.remove(0);
                    chosen.push(SeedWheel { name, version: filename.version, path, origin: Origin::Index });
                }
                Err(err @ SeedError::HashMismatch { .. }) => return Err(err),
                Err(err) => return Err(err_as_no_source(&name, python, &err)),
            }
        }
        Ok(chosen)
    }

    /// Fetch the index's newest wheel of each package, for each interpreter
    /// version in `pythons`, into the store (skipping what it already has).
    /// Returns the wheels now cached, and whether each was downloaded.
    pub fn update(
        &self,
        packages: &[String],
        pythons: &[PythonVersion],
        progress: &dyn Progress,
    ) -> Result<Vec<(PathBuf, bool)>, SeedError> {
        let (Some(store), Some(config)) = (&self.store, &self.index) else {
            return Ok(Vec::new());
        };
        let index = Index::new(config.clone())?;
        let mut out = Vec::new();
        for package in packages {
            let name = normalize_name(package);
            let before: Vec<PathBuf> = store.list(&name).into_iter().map(|w| w.path).collect();
            let target = TargetPython::cpython(3, 0, Vec::new());
            for (path, _) in fetch_newest(&index, store, &name, pythons, &target, progress)? {
                if !out.iter().any(|(p, _)| p == &path) {
                    let downloaded = !before.contains(&path);
                    out.push((path, downloaded));
                }
            }
        }
        Ok(out)
    }

    /// The newest local wheel of `name` fitting the interpreter.
    fn best_local(&self, name: &str, python: PythonVersion, target: &TargetPython) -> Option<Candidate> {
        let cap = below(name);
        let fits = |filename: &WheelFilename, version: &Version| {
            target.is_compatible(filename) && cap.as_ref().is_none_or(|c| version < c)
        };
        let mut best: Option<Candidate> = None;
        let consider = |best: &mut Option<Candidate>, c: Candidate| {
            if best.as_ref().is_none_or(|b| c.version > b.version) {
                *best = Some(c);
            }
        };
        if let Some(store) = &self.store {
            let mut stored = store.list(name);
            // Newest first, so at most one file is hashed in the usual case.
            stored.sort_by_cached_key(|w| std::cmp::Reverse(Version::from_str(&w.filename.version).ok()));
            for wheel in stored {
                let Ok(version) = Version::from_str(&wheel.filename.version) else { continue };
                if !fits(&wheel.filename, &version) || !python.allows(wheel.info.requires_python.as_deref()) {
                    continue;
                }
                if store.verify(&wheel) {
                    consider(
                        &mut best,
                        Candidate {
                            version,
                            filename: wheel.filename,
                            path: wheel.path,
                            origin: Origin::Cache,
                        },
                    );
                    break;
                }
            }
        }
        for path in &self.ensurepip {
            let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else { continue };
            let Ok(filename) = WheelFilename::parse(file_name) else { continue };
            if filename.normalized_name() != name {
                continue;
            }
            let Ok(version) = Version::from_str(&filename.version) else { continue };
            // Reading `Requires-Python` means opening the zip: only for a wheel that would win.
            if !fits(&filename, &version) || best.as_ref().is_some_and(|b| b.version >= version) {
                continue;
            }
            match requires_python_of(path) {
                Ok(requires) if python.allows(requires.as_deref()) => {}
                Ok(_) => continue,
                Err(reason) => {
                    tracing::warn!("ignoring the ensurepip wheel `{}`: {reason}", path.display());
                    continue;
                }
            }
            consider(
                &mut best,
                Candidate { version, filename, path: path.clone(), origin: Origin::Ensurepip },
            );
        }
        best
    }
}

fn err_as_no_source(name: &str, python: PythonVersion, err: impl fmt::Display) -> SeedError {
    SeedError::NoSource {
        package: name.to_string(),
        python: python.to_string(),
        reason: Some(err.to_string()),
    }
}

/// For each of `pythons`, the index's newest wheel of `name` that fits it,
/// downloaded into `store` unless already there; returns the distinct files.
fn fetch_newest(
    index: &Index,
    store: &WheelStore,
    name: &str,
    pythons: &[PythonVersion],
    target: &TargetPython,
    progress: &dyn Progress,
) -> Result<Vec<(PathBuf, WheelFilename)>, SeedError> {
    let files = index.files(name)?;
    let cap = below(name);
    let mut wanted: Vec<(Version, WheelFilename, &IndexFile)> = Vec::new();
    for python in pythons {
        let target = TargetPython { major: python.major as u8, minor: python.minor as u8, ..target.clone() };
        let best = files
            .iter()
            .filter(|f| !f.yanked && python.allows(f.requires_python.as_deref()))
            .filter_map(|f| {
                let filename = WheelFilename::parse(&f.filename).ok()?;
                let version = Version::from_str(&filename.version).ok()?;
                let ok = filename.normalized_name() == name
                    && version.pre().is_none()
                    && version.dev().is_none()
                    && target.is_compatible(&filename)
                    && cap.as_ref().is_none_or(|c| &version < c);
                ok.then_some((version, filename, f))
            })
            .max_by(|a, b| a.0.cmp(&b.0));
        match best {
            Some(best) if !wanted.iter().any(|w| w.2.filename == best.2.filename) => wanted.push(best),
            Some(_) => {}
            None => {
                return Err(SeedError::NotOnIndex {
                    package: name.to_string(),
                    python: python.to_string(),
                    url: index.project_url(name),
                });
            }
        }
    }
    let mut out = Vec::new();
    for (_, filename, file) in wanted {
        let existing = store
            .list(name)
            .into_iter()
            .find(|w| w.path.file_name().and_then(|n| n.to_str()) == Some(&file.filename));
        if let Some(existing) = existing
            && file.sha256.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&existing.info.sha256))
            && store.verify(&existing)
        {
            out.push((existing.path, filename));
            continue;
        }
        let mut staging = store.staging(name)?;
        progress.start(&file.filename, None);
        let result =
            index.download(file, staging.as_file_mut(), &mut |done, total| progress.advance(done, total));
        progress.finish();
        result?;
        let info = StoredInfo {
            sha256: file.sha256.clone().unwrap_or_default(),
            requires_python: file.requires_python.clone(),
            url: file.url.clone(),
        };
        let path = store.insert(name, &file.filename, staging, &info)?;
        tracing::info!("downloaded `{}`", path.display());
        out.push((path, filename));
    }
    Ok(out)
}

/// The `Requires-Python` in a wheel's `METADATA`.
fn requires_python_of(wheel: &Path) -> Result<Option<String>, String> {
    let file = std::fs::File::open(wheel).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    let name = archive
        .file_names()
        .find(|n| {
            n.split_once('/').is_some_and(|(dir, rest)| dir.ends_with(".dist-info") && rest == "METADATA")
        })
        .map(str::to_string)
        .ok_or("no .dist-info/METADATA")?;
    let member = archive.by_name(&name).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    member.take(4 * 1024 * 1024).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    let metadata = Metadata::parse(&bytes).map_err(|e| e.to_string())?;
    Ok(metadata.requires_python)
}

/// The version of `name` installed in `site_packages`, if any.
pub fn installed_version(site_packages: &Path, name: &str) -> Option<String> {
    installed_dist(site_packages, name).map(|d| d.version)
}

fn installed_dist(site_packages: &Path, name: &str) -> Option<venvoy_dist::InstalledDist> {
    let name = normalize_name(name);
    venvoy_dist::list_installed(site_packages).ok()?.dists.into_iter().find(|d| d.normalized_name() == name)
}

/// What [`install`] did for one seed wheel.
#[derive(Debug, Clone)]
pub enum Seeded {
    /// Installed.
    Installed(SeedWheel, Installation),
    /// Left alone: this version was already installed.
    AlreadyInstalled(SeedWheel, String),
}

/// Install `wheels` into `scheme` (skipping packages already installed there).
pub fn install(
    wheels: &[SeedWheel],
    scheme: &InstallScheme,
    target: &TargetPython,
    cache: &WheelCache,
    mode: LinkMode,
) -> Result<Vec<Seeded>, SeedError> {
    let mut out = Vec::new();
    for wheel in wheels {
        // Installed means whole: an install a kill or a full disk cut short
        // (no `RECORD`, files missing or short) is installed again over itself.
        if let Some(dist) = installed_dist(&scheme.purelib, &wheel.name) {
            match venvoy_dist::check_complete(&dist.path) {
                venvoy_dist::Completeness::Complete => {
                    out.push(Seeded::AlreadyInstalled(wheel.clone(), dist.version));
                    continue;
                }
                broken => tracing::warn!(
                    "`{}` is incomplete ({broken}); installing {} again",
                    dist.path.display(),
                    wheel.name
                ),
            }
        }
        let done = install_wheel(&wheel.path, scheme, target, cache, mode, true)
            .map_err(|source| SeedError::Install { wheel: wheel.path.clone(), source })?;
        out.push(Seeded::Installed(wheel.clone(), done));
    }
    Ok(out)
}
