//! The installed distributions of an env, read from `*.dist-info` and
//! `*.egg-info` metadata the way pip lists them (`pip list`, `pip freeze`):
//! the same search path, first distribution of each name wins, versions
//! normalised, editables found through `direct_url.json` or `.egg-link`.

use std::collections::HashSet;
use std::ffi::{CStr, OsStr};
use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use rustix::fs::{AtFlags, FileType};
use venvoy_dist::{Metadata, normalize_name};

use crate::pth::pth_dirs_from;
use crate::venv::Venv;
use venvoy_dist::DirectUrl;
use venvoy_fs::path::normalize;

/// One installed distribution.
#[derive(Debug, Clone)]
pub struct Package {
    /// `Name` as written in the metadata.
    pub name: String,
    /// The version as pip shows it (PEP 440 normalised when it parses).
    pub version: String,
    pub summary: Option<String>,
    pub installer: Option<String>,
    /// Installed on request (`REQUESTED`), not as a dependency.
    pub requested: bool,
    pub editable_project_location: Option<PathBuf>,
    /// The directory the metadata was found in (site-packages, or a project
    /// for `.egg-link`s), shared by every distribution found there.
    pub location: Arc<Path>,
    pub direct_url: Option<Box<DirectUrl>>,
    pub valid_version: bool,
    /// The PEP 503 normalised name, where it differs from `name`.
    normalized: Option<String>,
}

impl Package {
    /// The PEP 503 normalised name.
    pub fn normalized_name(&self) -> &str {
        self.normalized.as_deref().unwrap_or(&self.name)
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

/// The directories pip searches, in `sys.path` order, with what each one
/// holds: every directory is listed once, by [`search_path`] or by [`list`].
#[derive(Debug, Default)]
pub struct SearchPath {
    /// Each directory with its entries; `None` while not listed yet, and
    /// for one that cannot be listed.
    dirs: Vec<(Arc<Path>, Option<DirEntries>)>,
}

impl SearchPath {
    /// The directories, in `sys.path` order.
    pub fn dirs(&self) -> impl Iterator<Item = &Path> {
        self.dirs.iter().map(|(d, _)| &**d)
    }

    /// A search path of these directories (nothing listed yet).
    pub fn from_dirs(dirs: impl IntoIterator<Item = PathBuf>) -> Self {
        Self { dirs: dirs.into_iter().map(|d| (d.into(), None)).collect() }
    }
}

/// What one directory holds that a listing needs, from one pass over its
/// entries (no allocation for the entries it skips).
#[derive(Debug)]
struct DirEntries {
    /// The directory, kept open: its entries are opened relative to it,
    /// which spares the kernel walking the whole path for each file.
    fd: OwnedFd,
    /// `*.dist-info` / `*.egg-info` file names, sorted, and whether each is a directory.
    metadata: Vec<(Box<str>, bool)>,
    /// `*.egg-link` files, sorted.
    egg_links: Vec<PathBuf>,
    /// `*.pth` files (not hidden), sorted.
    pth: Vec<PathBuf>,
}

/// Bytes asked of the kernel per directory-listing call.
const LISTING_BUFFER: usize = 64 * 1024;

impl DirEntries {
    /// `None` when `dir` cannot be listed (missing, not a directory).
    fn read(dir: &Path) -> Option<Self> {
        let fd = open_dir(dir)?;
        let mut out = Self { fd, metadata: Vec::new(), egg_links: Vec::new(), pth: Vec::new() };
        let mut buf: Vec<u8> = Vec::with_capacity(LISTING_BUFFER);
        let mut listing = rustix::fs::RawDir::new(&out.fd, buf.spare_capacity_mut());
        while let Some(entry) = listing.next() {
            let Ok(entry) = entry else { break };
            let Ok(name) = entry.file_name().to_str() else { continue };
            if ends_with_ignore_case(name, ".dist-info") || ends_with_ignore_case(name, ".egg-info") {
                // The type from the listing; a stat only for a link, or where
                // the file system gives none.
                let is_dir = match entry.file_type() {
                    FileType::Directory => true,
                    FileType::Symlink | FileType::Unknown => {
                        rustix::fs::statat(&out.fd, entry.file_name(), AtFlags::empty())
                            .is_ok_and(|s| FileType::from_raw_mode(s.st_mode) == FileType::Directory)
                    }
                    _ => false,
                };
                out.metadata.push((name.into(), is_dir));
            } else if name.ends_with(".egg-link") {
                out.egg_links.push(dir.join(name));
            } else if name.ends_with(".pth") && !name.starts_with('.') {
                out.pth.push(dir.join(name));
            }
        }
        out.metadata.sort_unstable();
        out.egg_links.sort_unstable();
        out.pth.sort_unstable();
        Some(out)
    }
}

fn ends_with_ignore_case(name: &str, suffix: &str) -> bool {
    name.len() >= suffix.len()
        && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// The directories pip searches in an env, in `sys.path` order, without
/// running Python: the env's site-packages, then (with system
/// site-packages) the user site and the base's site-packages, each followed
/// by the directories its `.pth` files add.
pub fn search_path(venv: &Venv, home_dir: Option<&Path>) -> SearchPath {
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
    // The base's standard library comes before site-packages on `sys.path`,
    // and pip lists what is there: PyPy ships `cffi`, `greenlet`, `hpy` and
    // `readline` with their metadata in its own `lib/pypy3.X`.
    let mut out = SearchPath::default();
    if let Some(stdlib) = stdlib_dir(venv)
        && let Some(entries) = DirEntries::read(&stdlib)
    {
        out.dirs.push((stdlib.into(), Some(entries)));
    }
    let mut seen = HashSet::new();
    for site in sites {
        let Some(entries) = DirEntries::read(&site) else { continue };
        let key = std::fs::canonicalize(&site).unwrap_or_else(|_| site.clone());
        if !seen.insert(key) {
            continue;
        }
        let added = pth_dirs_from(&site, &entries.pth);
        out.dirs.push((site.into(), Some(entries)));
        for (dir, _) in added {
            if !out.dirs.iter().any(|(d, _)| **d == *dir) {
                out.dirs.push((dir.into(), None));
            }
        }
    }
    out
}

/// The base interpreter's standard library (`<prefix>/lib/pypy3.9`,
/// `<prefix>/lib/python3.12`), found from `pyvenv.cfg`'s `home` and the
/// implementation the venv records or its interpreter's name says.
fn stdlib_dir(venv: &Venv) -> Option<PathBuf> {
    let (a, b, _) = venv.version()?;
    let home = venv.cfg.home()?;
    let prefix = if home.ends_with("bin") { home.parent()?.to_path_buf() } else { home };
    let base = crate::base::base_of(venv).path;
    let base_name = base.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
    let pypy = match venv.implementation() {
        Some(i) => i.eq_ignore_ascii_case("pypy"),
        None => base_name.is_some_and(|n| n.starts_with("pypy")),
    };
    let dir = prefix.join("lib").join(format!("{}{a}.{b}", if pypy { "pypy" } else { "python" }));
    dir.is_dir().then_some(dir)
}

/// Which files of each distribution to read beyond its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Name, version, summary, and `direct_url.json` where there is one.
    Core,
    /// Also `INSTALLER` and `REQUESTED` (for `--json`).
    Full,
}

/// One metadata entry to read, in discovery order.
struct Candidate<'a> {
    /// The `*.dist-info` / `*.egg-info` file name.
    name: &'a str,
    /// The directory it is in, and that directory's descriptor.
    location: &'a Arc<Path>,
    dir: &'a OwnedFd,
    is_dir: bool,
    linked: bool,
}

impl Candidate<'_> {
    fn path(&self) -> PathBuf {
        self.location.join(self.name)
    }
}

/// Below this many entries the reads stay on one thread.
const PARALLEL_FROM: usize = 128;
const MAX_THREADS: usize = 4;
/// Candidates a thread takes at a time.
const BLOCK: usize = 32;

/// List the distributions found on `search_path`, as pip does.
pub fn list(search_path: &mut SearchPath, detail: Detail) -> Listing {
    for (dir, entries) in &mut search_path.dirs {
        if entries.is_none() {
            *entries = DirEntries::read(dir);
        }
    }
    let listed = || search_path.dirs.iter().filter_map(|(d, e)| Some((d, e.as_ref()?)));
    let egg_link_stems: HashSet<String> = listed()
        .flat_map(|(_, e)| &e.egg_links)
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    // Projects behind `.egg-link` files come after each location's own
    // entries, as in pkg_resources.
    let linked: Vec<(usize, Arc<Path>, DirEntries)> = listed()
        .enumerate()
        .flat_map(|(i, (dir, e))| egg_link_targets(dir, &e.egg_links).into_iter().map(move |t| (i, t)))
        .filter_map(|(i, target)| DirEntries::read(&target).map(|e| (i, target.into(), e)))
        .collect();
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for (i, (dir, entries)) in listed().enumerate() {
        candidates.extend(entries.metadata.iter().map(|(name, is_dir)| Candidate {
            name,
            location: dir,
            dir: &entries.fd,
            is_dir: *is_dir,
            linked: false,
        }));
        for (_, target, entries) in linked.iter().filter(|(j, _, _)| *j == i) {
            candidates.extend(entries.metadata.iter().map(|(name, is_dir)| Candidate {
                name,
                location: target,
                dir: &entries.fd,
                is_dir: *is_dir,
                linked: true,
            }));
        }
    }
    let read = read_all(&candidates, detail);

    // The first distribution of each name wins.
    let keep: Vec<bool> = {
        let mut seen: HashSet<&str> = HashSet::with_capacity(read.len());
        read.iter().map(|r| r.as_ref().is_ok_and(|p| seen.insert(p.normalized_name()))).collect()
    };
    let mut listing = Listing::default();
    listing.packages.reserve(read.len());
    for ((candidate, result), keep) in candidates.iter().zip(read).zip(keep) {
        let mut package = match result {
            Ok(_) if !keep => continue,
            Ok(package) => package,
            Err(problem) => {
                listing.problems.push(problem);
                continue;
            }
        };
        if package.editable_project_location.is_none()
            && package.direct_url.is_none()
            && (candidate.linked || has_egg_link(&egg_link_stems, &package.name))
        {
            package.editable_project_location = Some(candidate.location.to_path_buf());
        }
        listing.packages.push(package);
    }
    listing
}

/// Read every candidate, over a few threads when there are many; the
/// results stay in the candidates' order. The threads (the calling one
/// among them) take blocks of [`BLOCK`] candidates in turn, so one thread
/// the scheduler leaves waiting holds up one block, not a share of the work.
fn read_all(candidates: &[Candidate<'_>], detail: Detail) -> Vec<Result<Package, String>> {
    let threads = if candidates.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(2, MAX_THREADS)
    };
    if threads == 1 {
        let mut scratch = Scratch::default();
        return candidates.iter().map(|c| read_one(c, detail, &mut scratch)).collect();
    }
    let blocks: Vec<&[Candidate<'_>]> = candidates.chunks(BLOCK).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut scratch = Scratch::default();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(block) = blocks.get(i) else { return done };
            done.push((i, block.iter().map(|c| read_one(c, detail, &mut scratch)).collect::<Vec<_>>()));
        }
    };
    let mut done = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut done = work();
        for helper in helpers {
            done.extend(helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(candidates.len());
    for (_, results) in done {
        out.extend(results);
    }
    out
}

/// What one thread reuses from entry to entry: the bytes read, and the
/// relative path being opened.
#[derive(Default)]
struct Scratch {
    buf: Vec<u8>,
    path: Vec<u8>,
}

/// Read one metadata entry: one open of `METADATA` (or `PKG-INFO`), read
/// up to the end of its headers; `direct_url.json` opened only where it
/// exists; `INSTALLER` and `REQUESTED` only for [`Detail::Full`].
fn read_one(candidate: &Candidate<'_>, detail: Detail, scratch: &mut Scratch) -> Result<Package, String> {
    let name = candidate.name;
    let at = At { dir: candidate.dir, location: candidate.location };
    let Scratch { buf, path } = scratch;
    let metadata = if name.ends_with(".dist-info") {
        rel_path(path, name, Some("METADATA"))
    } else if candidate.is_dir {
        rel_path(path, name, Some("PKG-INFO"))
    } else {
        rel_path(path, name, None)
    };
    let head = read_until(&at, metadata, buf, header_end)?;
    let meta = Metadata::parse_core(head)
        .map_err(|e| format!("cannot parse `{}`: {e}", at.full(metadata).display()))?;
    if meta.name.trim().is_empty() {
        return Err(format!("`{}` has no `Name`", candidate.path().display()));
    }
    let (mut installer, mut requested, mut direct_url) = (None, false, None);
    if candidate.is_dir {
        let json = rel_path(path, name, Some("direct_url.json"));
        if at.file_type(json).is_some() {
            direct_url = read_until(&at, json, buf, |_| None).ok().and_then(DirectUrl::parse).map(Box::new);
        }
        if detail == Detail::Full {
            let file = rel_path(path, name, Some("INSTALLER"));
            installer = read_until(&at, file, buf, |_| None).ok().and_then(venvoy_dist::installer_name);
            let file = rel_path(path, name, Some("REQUESTED"));
            requested = at.file_type(file) == Some(FileType::RegularFile);
        }
    }
    let (version, valid_version) = pip_version(meta.version.trim());
    let editable = direct_url.as_ref().and_then(|u| u.editable_location());
    let normalized = (!is_normalized(&meta.name)).then(|| normalize_name(&meta.name));
    Ok(Package {
        version,
        valid_version,
        normalized,
        name: meta.name,
        summary: meta.summary.filter(|s| !s.is_empty()),
        installer,
        requested,
        editable_project_location: editable,
        location: Arc::clone(candidate.location),
        direct_url,
    })
}

/// The version as pip shows it, and whether it is valid PEP 440: normalised
/// when it parses, as written when not. A plain release (`1.26.4`: dotted
/// numbers without leading zeros) is already in normal form and is not parsed.
fn pip_version(raw: &str) -> (String, bool) {
    let plain = !raw.is_empty()
        && raw.split('.').all(|part| {
            (1..=18).contains(&part.len())
                && part.bytes().all(|b| b.is_ascii_digit())
                && (part == "0" || !part.starts_with('0'))
        });
    if plain {
        return (raw.to_owned(), true);
    }
    match pep440_rs::Version::from_str(raw) {
        Ok(version) => (version.to_string(), true),
        Err(_) => (raw.to_owned(), false),
    }
}

/// Whether `name` is already in PEP 503 normal form (lower-case ASCII
/// letters and digits, single `-` between them).
fn is_normalized(name: &str) -> bool {
    !name.contains("--") && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `name/file` (or `name`), NUL-terminated, in `out`: a path relative to
/// the listed directory, built without allocating once `out` has grown.
fn rel_path<'p>(out: &'p mut Vec<u8>, name: &str, file: Option<&str>) -> &'p CStr {
    out.clear();
    out.extend_from_slice(name.as_bytes());
    if let Some(file) = file {
        out.push(b'/');
        out.extend_from_slice(file.as_bytes());
    }
    out.push(0);
    // A name from a directory listing holds no NUL.
    CStr::from_bytes_until_nul(out).unwrap_or_default()
}

fn open_dir(dir: &Path) -> Option<OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    rustix::fs::open(dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()
}

/// Files under one listed directory, named relative to it.
struct At<'a> {
    dir: &'a OwnedFd,
    location: &'a Path,
}

impl At<'_> {
    /// The full path of `rel`, for messages.
    fn full(&self, rel: &CStr) -> PathBuf {
        self.location.join(OsStr::from_bytes(rel.to_bytes()))
    }

    /// Opened only if it is a regular file, never blocking (see
    /// `venvoy_fs::read`), with its size.
    fn open(&self, rel: &CStr) -> Result<(std::fs::File, u64), venvoy_fs::ReadError> {
        venvoy_fs::read::open_regular_at(self.dir, rel, || self.full(rel))
    }

    /// The file's type, following symlinks; `None` when it does not exist.
    fn file_type(&self, rel: &CStr) -> Option<FileType> {
        let stat = rustix::fs::statat(self.dir, rel, AtFlags::empty()).ok()?;
        Some(FileType::from_raw_mode(stat.st_mode))
    }
}

/// Largest file read whole (`direct_url.json`, `INSTALLER`), and the largest header block.
const LIMIT: usize = venvoy_fs::read::METADATA as usize;
/// The first read asks for this much: every usual header block fits.
const FIRST: usize = 16 * 1024;

/// `rel` read into `buf` from the start until `stop` finds where the wanted
/// bytes end (a header block: up to the first blank line, in one `read`
/// for the usual file; the description after it is never read), or to the end.
fn read_until<'b>(
    at: &At<'_>,
    rel: &CStr,
    buf: &'b mut Vec<u8>,
    stop: impl Fn(&[u8]) -> Option<usize>,
) -> Result<&'b [u8], String> {
    let (mut opened, size) = at.open(rel).map_err(|e| e.to_string())?;
    let len = read_into(&mut opened, size, buf, stop)
        .map_err(|e| format!("cannot read `{}`: {e}", at.full(rel).display()))?;
    Ok(&buf[..len])
}

/// Read `file` into `buf` until `stop` finds where the wanted bytes end (an
/// offset into the bytes read so far) or the file ends: at `size`, its size
/// when opened (no extra `read` to find the end), or sooner if it shrank.
/// The length kept.
fn read_into(
    file: &mut std::fs::File,
    size: u64,
    buf: &mut Vec<u8>,
    stop: impl Fn(&[u8]) -> Option<usize>,
) -> std::io::Result<usize> {
    if buf.len() < FIRST {
        buf.resize(FIRST, 0);
    }
    let mut len = 0;
    loop {
        if len == buf.len() {
            if len >= LIMIT {
                return Err(std::io::Error::other(format!("longer than {} MiB", LIMIT >> 20)));
            }
            buf.resize(len * 2, 0);
        }
        let n = match file.read(&mut buf[len..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        // Look again from just before the new bytes (a line ending may straddle reads).
        let from = len.saturating_sub(2);
        len += n;
        if let Some(end) = stop(&buf[from..len]) {
            return Ok(from + end);
        }
        if n == 0 || len as u64 >= size {
            return Ok(len);
        }
    }
}

/// The offset just past the line ending before the first blank line.
fn header_end(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).enumerate().find_map(|(i, w)| match w {
        [b'\n', b'\n'] => Some(i + 1),
        [b'\n', b'\r'] if bytes.get(i + 2) == Some(&b'\n') => Some(i + 1),
        _ => None,
    })
}

/// The project directory each `.egg-link` file of `location` points to:
/// its first non-empty line, relative to `location`.
fn egg_link_targets(location: &Path, files: &[PathBuf]) -> Vec<PathBuf> {
    files
        .iter()
        .filter_map(|file| {
            let text = venvoy_fs::read_to_string_capped(file, venvoy_fs::read::SMALL).ok()?;
            let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
            let target = normalize(&location.join(line));
            target.is_dir().then_some(target)
        })
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
            self.packages.iter().filter(|p| !STDLIB_PKGS.contains(&p.normalized_name())).collect();
        out.sort_by(|a, b| a.normalized_name().cmp(b.normalized_name()));
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
            self.packages.iter().filter(|p| !skip.contains(&p.normalized_name())).collect();
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
        path.extend(crate::pth::pth_dirs(&site).into_iter().map(|(d, _)| d));
        assert_eq!(path, [site.clone(), project.clone()]);
        let listing = list(&mut SearchPath::from_dirs(path), Detail::Core);
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

    #[test]
    fn plain_releases_skip_the_parser_and_agree_with_it() {
        let parsed = |raw: &str| match pep440_rs::Version::from_str(raw) {
            Ok(v) => (v.to_string(), true),
            Err(_) => (raw.to_owned(), false),
        };
        for raw in [
            "1.26.4",
            "0",
            "10.0.0",
            "2024.1",
            "01.2",
            "1.02",
            "1..2",
            ".1",
            "1.",
            "",
            "1.0rc1",
            "2.0-3",
            "1.0.post1",
            "v1.0",
            "1!2.0",
            "1.0+local",
            "99999999999999999999",
            "123456789012345678",
        ] {
            assert_eq!(pip_version(raw), parsed(raw), "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn pip_version_is_the_parsers_answer(raw in "[0-9.]{0,12}|[0-9a-z.!+-]{0,10}") {
            let parsed = match pep440_rs::Version::from_str(&raw) {
                Ok(v) => (v.to_string(), true),
                Err(_) => (raw.clone(), false),
            };
            proptest::prop_assert_eq!(pip_version(&raw), parsed);
        }

        #[test]
        fn is_normalized_means_normalising_changes_nothing(name in "[A-Za-z0-9._-]{1,12}") {
            if is_normalized(&name) {
                proptest::prop_assert_eq!(normalize_name(&name), name);
            } else {
                proptest::prop_assert_ne!(normalize_name(&name), name);
            }
        }
    }

    #[test]
    fn headers_end_at_the_first_blank_line_in_any_line_ending() {
        assert_eq!(header_end(b"Name: a\nVersion: 1\n\nbody\n\n"), Some(19));
        assert_eq!(header_end(b"Name: a\r\nVersion: 1\r\n\r\nbody"), Some(21));
        assert_eq!(header_end(b"Name: a\nVersion: 1\n"), None);
    }

    #[test]
    fn many_dists_over_threads_keep_order_and_a_fifo_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        for i in 0..300 {
            let body = "x".repeat(i * 97);
            write(
                &site.join(format!("d{i:03}-1.dist-info/METADATA")),
                &format!("Name: D{i:03}\nVersion: 1.{i}\nSummary: s{i}\n\n{body}"),
            );
        }
        // The same name again later on the path: the first one wins.
        let later = dir.path().join("later");
        write(&later.join("d007-9.dist-info/METADATA"), "Name: d007\nVersion: 9\n");
        // A FIFO where METADATA should be: reported, not waited on.
        std::fs::create_dir_all(site.join("fifo-1.dist-info")).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            site.join("fifo-1.dist-info/METADATA"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o644),
            0,
        )
        .unwrap();
        let listing = list(&mut SearchPath::from_dirs([site.clone(), later]), Detail::Full);
        let names: Vec<String> =
            listing.packages.iter().map(|p| format!("{}=={}", p.name, p.version)).collect();
        let expected: Vec<String> = (0..300).map(|i| format!("D{i:03}==1.{i}")).collect();
        assert_eq!(names, expected);
        assert_eq!(listing.problems.len(), 1, "{:?}", listing.problems);
        assert!(listing.problems[0].contains("FIFO"), "{:?}", listing.problems);
    }
}
