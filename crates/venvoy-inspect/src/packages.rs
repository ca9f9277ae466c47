//! The installed distributions of an env, read from `*.dist-info` and
//! `*.egg-info` metadata the way pip lists them (`pip list`, `pip freeze`):
//! the same search path, first distribution of each name wins, versions
//! normalised, editables found through `direct_url.json` or `.egg-link`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Serialize;
use venvoy_dist::{InstalledDist, normalize_name};

use crate::direct_url::DirectUrl;
use crate::pth::pth_dirs;
use crate::venv::Venv;
use venvoy_env::resolve::normalize;

/// One installed distribution.
#[derive(Debug, Clone, Serialize)]
pub struct Package {
    /// `Name` as written in the metadata.
    pub name: String,
    /// The version as pip shows it (PEP 440 normalised when it parses).
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installer: Option<String>,
    /// Installed on request (`REQUESTED`), not as a dependency.
    pub requested: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editable_project_location: Option<PathBuf>,
    /// The directory the metadata was found in (site-packages, or a project for `.egg-link`s).
    pub location: PathBuf,
    /// The `.dist-info` or `.egg-info` path.
    pub metadata: PathBuf,
    #[serde(skip)]
    pub direct_url: Option<DirectUrl>,
    #[serde(skip)]
    pub valid_version: bool,
}

impl Package {
    pub fn normalized_name(&self) -> String {
        normalize_name(&self.name)
    }

    fn pinned(&self) -> String {
        let op = if self.valid_version { "==" } else { "===" };
        format!("{}{op}{}", self.name, self.version)
    }

    /// The lines `pip freeze` prints for this distribution (comments first).
    pub fn freeze_lines(&self) -> Vec<String> {
        if let Some(location) = &self.editable_project_location {
            let (mut lines, req) =
                crate::vcs::editable_requirement(&normalize(location), &self.name, &self.pinned());
            lines.push(format!("-e {req}"));
            return lines;
        }
        match &self.direct_url {
            Some(url) => vec![url.requirement(&self.name)],
            None => vec![self.pinned()],
        }
    }
}

/// Everything found, and what could not be read.
#[derive(Debug, Default)]
pub struct Listing {
    /// In pip's discovery order; see [`Listing::sorted`] and [`Listing::freeze`].
    pub packages: Vec<Package>,
    /// Metadata directories that could not be read, with the reason.
    pub problems: Vec<String>,
}

/// The directories pip searches in an env, in `sys.path` order, without
/// running Python: the env's site-packages, then (with system
/// site-packages) the user site and the base's site-packages, each followed
/// by the directories its `.pth` files add.
pub fn search_path(venv: &Venv, home_dir: Option<&Path>) -> Vec<PathBuf> {
    let version = venv.version();
    let system = venv.cfg.include_system_site_packages();
    let mut sites = venv.site_packages();
    if system && let (Some(home), Some((a, b, _))) = (home_dir, version) {
        sites.push(home.join(format!(".local/lib/python{a}.{b}/site-packages")));
    }
    if system && let (Some(base_home), Some((a, b, _))) = (venv.cfg.home(), version) {
        let prefix =
            if base_home.ends_with("bin") { base_home.parent().unwrap_or(&base_home) } else { &base_home };
        for rel in [
            format!("local/lib/python{a}.{b}/dist-packages"),
            "lib/python3/dist-packages".to_string(),
            format!("lib/python{a}.{b}/dist-packages"),
            format!("lib64/python{a}.{b}/site-packages"),
            format!("lib/python{a}.{b}/site-packages"),
        ] {
            sites.push(prefix.join(rel));
        }
    }
    let mut out: Vec<PathBuf> = Vec::new();
    let mut seen = HashSet::new();
    for site in sites {
        if !site.is_dir() {
            continue;
        }
        let key = std::fs::canonicalize(&site).unwrap_or_else(|_| site.clone());
        if !seen.insert(key) {
            continue;
        }
        out.push(site.clone());
        for (dir, _) in pth_dirs(&site) {
            if !out.contains(&dir) {
                out.push(dir);
            }
        }
    }
    out
}

/// List the distributions found on `search_path`, as pip does.
pub fn list(search_path: &[PathBuf]) -> Listing {
    let mut listing = Listing::default();
    let mut seen: HashSet<String> = HashSet::new();
    let egg_links = egg_link_names(search_path);
    for location in search_path {
        scan_dir(location, location, &egg_links, &mut seen, &mut listing, false);
        // `.egg-link` files come last in each location, as in pkg_resources.
        for (target, _) in egg_link_targets(location) {
            scan_dir(&target, &target, &egg_links, &mut seen, &mut listing, true);
        }
    }
    listing
}

fn scan_dir(
    dir: &Path,
    location: &Path,
    egg_links: &HashSet<String>,
    seen: &mut HashSet<String>,
    listing: &mut Listing,
    linked: bool,
) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut names: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let lower = name.to_ascii_lowercase();
            (lower.ends_with(".dist-info") || lower.ends_with(".egg-info")).then(|| (name, e.path()))
        })
        .collect();
    names.sort();
    for (_, path) in names {
        let dist = match InstalledDist::read(&path) {
            Ok(d) => d,
            Err(err) => {
                listing.problems.push(format!("{err}"));
                continue;
            }
        };
        if dist.name.trim().is_empty() {
            listing.problems.push(format!("`{}` has no `Name`", path.display()));
            continue;
        }
        if !seen.insert(normalize_name(&dist.name)) {
            continue;
        }
        let direct_url = if path.is_dir() {
            std::fs::read(path.join("direct_url.json")).ok().and_then(|b| DirectUrl::parse(&b))
        } else {
            None
        };
        let parsed = pep440_rs::Version::from_str(dist.version.trim()).ok();
        let editable = match &direct_url {
            Some(url) => url.editable_location(),
            None if linked || has_egg_link(egg_links, &dist.name) => Some(location.to_path_buf()),
            None => None,
        };
        listing.packages.push(Package {
            version: parsed.as_ref().map_or_else(|| dist.version.trim().to_string(), ToString::to_string),
            valid_version: parsed.is_some(),
            name: dist.name,
            summary: dist.summary.filter(|s| !s.is_empty()),
            installer: dist.installer,
            requested: dist.requested,
            editable_project_location: editable,
            location: location.to_path_buf(),
            metadata: path,
            direct_url,
        });
    }
}

/// `(target directory, .egg-link file)` for each `*.egg-link` in `location`:
/// the first non-empty line, relative to the file's directory.
fn egg_link_targets(location: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(location) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "egg-link"))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(&file).ok()?;
            let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
            let target = normalize(&location.join(line));
            target.is_dir().then_some((target, file))
        })
        .collect()
}

/// The stems of every `.egg-link` file on the search path.
fn egg_link_names(search_path: &[PathBuf]) -> HashSet<String> {
    search_path
        .iter()
        .flat_map(|d| egg_link_targets(d).into_iter().map(|(_, f)| f))
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect()
}

/// pip's `egg_link_path_from_sys_path`: `NAME.egg-link`, or with runs of
/// characters other than letters, digits and `.` replaced by `-`.
fn has_egg_link(names: &HashSet<String>, name: &str) -> bool {
    if names.is_empty() {
        return false;
    }
    let mut safe = String::new();
    let mut in_run = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            safe.push(c);
            in_run = false;
        } else if !in_run {
            safe.push('-');
            in_run = true;
        }
    }
    names.contains(name) || names.contains(&safe)
}

/// The names pip skips everywhere (`stdlib_pkgs`).
const STDLIB_PKGS: [&str; 3] = ["python", "wsgiref", "argparse"];

impl Listing {
    /// `pip list` order: by normalised name, without pip's `stdlib_pkgs`.
    pub fn sorted(&self) -> Vec<&Package> {
        let mut out: Vec<&Package> =
            self.packages.iter().filter(|p| !STDLIB_PKGS.contains(&p.normalized_name().as_str())).collect();
        out.sort_by_cached_key(|p| p.normalized_name());
        out
    }

    /// `pip freeze` lines: sorted by lower-cased name, skipping pip (and
    /// setuptools, wheel, distribute before Python 3.12) unless `all`.
    pub fn freeze(&self, all: bool, python: Option<(u64, u64)>) -> Vec<String> {
        let mut skip: Vec<&str> = STDLIB_PKGS.to_vec();
        if !all {
            skip.push("pip");
            if python.is_none_or(|v| v < (3, 12)) {
                skip.extend(["setuptools", "distribute", "wheel"]);
            }
        }
        let mut chosen: Vec<&Package> =
            self.packages.iter().filter(|p| !skip.contains(&p.normalized_name().as_str())).collect();
        chosen.sort_by_cached_key(|p| p.name.to_lowercase());
        chosen.iter().flat_map(|p| p.freeze_lines()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn egg_links_pth_dirs_and_first_one_wins() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let project = dir.path().join("proj");
        write(
            &project.join("Foo_Bar.egg-info/PKG-INFO"),
            "Metadata-Version: 1.1\nName: Foo_Bar\nVersion: 1.0-1\n",
        );
        write(&site.join("Foo_Bar.egg-link"), &format!("{}\n.\n", project.display()));
        write(&site.join("easy-install.pth"), &format!("import sys\n{}\n", project.display()));
        write(&site.join("zed-2.dist-info/METADATA"), "Name: zed\nVersion: 2\n");
        write(&site.join("Zed-1.dist-info/METADATA"), "Name: Zed\nVersion: 1\n");
        write(&site.join("legacy-1.dist-info/METADATA"), "Name: legacy\nVersion: not a version\n");

        let mut path = vec![site.clone()];
        path.extend(pth_dirs(&site).into_iter().map(|(d, _)| d));
        assert_eq!(path, [site.clone(), project.clone()]);
        let listing = list(&path);
        let names: Vec<(&str, &str)> =
            listing.sorted().iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        assert_eq!(names, [("Foo_Bar", "1.0.post1"), ("legacy", "not a version"), ("Zed", "1")]);
        let foo = &listing.sorted()[0];
        assert_eq!(foo.editable_project_location.as_deref(), Some(project.as_path()));
        assert_eq!(
            listing.freeze(false, Some((3, 12))),
            [
                "# Editable install with no version control (Foo_Bar==1.0.post1)".to_string(),
                format!("-e {}", project.display()),
                "legacy===not a version".to_string(),
                "Zed==1".to_string(),
            ]
        );
    }
}
