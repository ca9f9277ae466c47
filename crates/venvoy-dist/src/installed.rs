//! Installed distributions: the `*.dist-info` and `*.egg-info` entries of a
//! `site-packages` directory, read from disk without running Python.

use std::path::{Path, PathBuf};

use crate::{DirectUrl, Metadata, ParseError, normalize_name};

/// Why one installed distribution (or the directory) could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InstalledError {
    /// Reading a file or directory failed.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The path that could not be read.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A metadata file is malformed.
    #[error("cannot parse `{}`", path.display())]
    Parse {
        /// The malformed file.
        path: PathBuf,
        /// What was wrong.
        #[source]
        source: ParseError,
    },
}

/// The metadata format a distribution was installed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistFormat {
    /// `name-version.dist-info/` (PEP 376, wheels).
    DistInfo,
    /// `name.egg-info` directory or file (setuptools, `setup.py develop`).
    EggInfo,
}

/// One installed distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledDist {
    /// The `.dist-info`/`.egg-info` path.
    pub path: PathBuf,
    /// Which metadata format.
    pub format: DistFormat,
    /// `Name` from the metadata, as written.
    pub name: String,
    /// `Version` from the metadata.
    pub version: String,
    /// `Summary` from the metadata.
    pub summary: Option<String>,
    /// The first line of `INSTALLER`, e.g. `pip` or `venvoy`.
    pub installer: Option<String>,
    /// Whether `REQUESTED` exists (installed on request, not as a dependency).
    pub requested: bool,
    /// `direct_url.json`, if any.
    pub direct_url: Option<DirectUrl>,
}

impl InstalledDist {
    /// The PEP 503 normalised name.
    pub fn normalized_name(&self) -> String {
        normalize_name(&self.name)
    }

    /// The line `pip freeze` would print: `name==version`, `name @ url` for
    /// direct URL installs (with the VCS, commit and hash), `-e url` for
    /// editable ones.
    pub fn freeze_line(&self) -> String {
        match &self.direct_url {
            Some(d) if d.editable() => format!("-e {}", d.url),
            Some(d) => d.requirement(&self.name),
            None => format!("{}=={}", self.name, self.version),
        }
    }

    /// Read one `.dist-info` directory or `.egg-info` directory or file.
    pub fn read(path: &Path) -> Result<Self, InstalledError> {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let (format, metadata_path) = if file_name.ends_with(".dist-info") {
            (DistFormat::DistInfo, path.join("METADATA"))
        } else if path.is_dir() {
            (DistFormat::EggInfo, path.join("PKG-INFO"))
        } else {
            (DistFormat::EggInfo, path.to_path_buf())
        };
        let bytes = read(&metadata_path)?;
        let metadata = Metadata::parse_core(&bytes)
            .map_err(|source| InstalledError::Parse { path: metadata_path.clone(), source })?;
        let (installer, requested, direct_url) = if path.is_dir() {
            let installer = read_optional(&path.join("INSTALLER"))?.and_then(|bytes| installer_name(&bytes));
            let requested = path.join("REQUESTED").is_file();
            let direct_url = read_optional(&path.join("direct_url.json"))?.and_then(|b| DirectUrl::parse(&b));
            (installer, requested, direct_url)
        } else {
            (None, false, None)
        };
        Ok(Self {
            path: path.to_path_buf(),
            format,
            name: metadata.name,
            version: metadata.version,
            summary: metadata.summary,
            installer,
            requested,
            direct_url,
        })
    }
}

/// The installer an `INSTALLER` file names: its first line, trimmed.
pub fn installer_name(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines().next().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty())
}

/// Every distribution found in one `site-packages` directory, and the
/// entries that looked like distributions but could not be read.
#[derive(Debug, Default)]
pub struct SitePackages {
    /// Readable distributions, sorted by normalised name.
    pub dists: Vec<InstalledDist>,
    /// Entries that could not be read.
    pub broken: Vec<InstalledError>,
}

/// List the distributions installed in `site_packages`. Fails only if the
/// directory itself cannot be read; broken entries are collected instead.
pub fn list_installed(site_packages: &Path) -> Result<SitePackages, InstalledError> {
    let io = |source| InstalledError::Io { path: site_packages.to_path_buf(), source };
    let mut listing = SitePackages::default();
    for entry in std::fs::read_dir(site_packages).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.ends_with(".dist-info") || name.ends_with(".egg-info")) {
            continue;
        }
        match InstalledDist::read(&entry.path()) {
            Ok(dist) => listing.dists.push(dist),
            Err(err) => listing.broken.push(err),
        }
    }
    listing
        .dists
        .sort_by(|a, b| a.normalized_name().cmp(&b.normalized_name()).then_with(|| a.path.cmp(&b.path)));
    Ok(listing)
}

/// Read a metadata file of an installed distribution: a regular file only
/// (a FIFO or a device never blocks or floods venvoy), and at most
/// [`venvoy_fs::read::METADATA`] bytes.
fn read(path: &Path) -> Result<Vec<u8>, InstalledError> {
    venvoy_fs::read::read_capped(path, venvoy_fs::read::METADATA).map_err(|e| io_error(path, e))
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, InstalledError> {
    match venvoy_fs::read::read_capped(path, venvoy_fs::read::METADATA) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(io_error(path, err)),
    }
}

fn io_error(path: &Path, err: venvoy_fs::read::ReadError) -> InstalledError {
    let source = match err {
        venvoy_fs::read::ReadError::Io { source, .. } => source,
        other => std::io::Error::new(std::io::ErrorKind::InvalidData, other.to_string()),
    };
    InstalledError::Io { path: path.to_path_buf(), source }
}

impl venvoy_fs::Hint for InstalledError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_dist_info_and_egg_info() {
        let dir = tempfile::tempdir().unwrap();
        let sp = dir.path();
        let di = sp.join("Foo_Bar-1.0.dist-info");
        std::fs::create_dir(&di).unwrap();
        std::fs::write(di.join("METADATA"), "Name: Foo.Bar\nVersion: 1.0\nSummary: s\n").unwrap();
        std::fs::write(di.join("INSTALLER"), "pip\n").unwrap();
        std::fs::write(di.join("REQUESTED"), "").unwrap();
        let ed = sp.join("ed-2.0.dist-info");
        std::fs::create_dir(&ed).unwrap();
        std::fs::write(ed.join("METADATA"), "Name: ed\nVersion: 2.0\n").unwrap();
        std::fs::write(
            ed.join("direct_url.json"),
            r#"{"url": "file:///src/ed", "dir_info": {"editable": true}}"#,
        )
        .unwrap();
        std::fs::write(sp.join("old.egg-info"), "Name: old\nVersion: 0.1\n").unwrap();
        std::fs::create_dir(sp.join("broken-1.dist-info")).unwrap();
        std::fs::create_dir(sp.join("foo")).unwrap();

        let listing = list_installed(sp).unwrap();
        let lines: Vec<String> = listing.dists.iter().map(InstalledDist::freeze_line).collect();
        assert_eq!(lines, ["-e file:///src/ed", "Foo.Bar==1.0", "old==0.1"]);
        assert_eq!(listing.broken.len(), 1);
        let foo = &listing.dists[1];
        assert_eq!(foo.installer.as_deref(), Some("pip"));
        assert!(foo.requested);
        assert_eq!(foo.format, DistFormat::DistInfo);
        assert_eq!(listing.dists[2].format, DistFormat::EggInfo);
    }
}
