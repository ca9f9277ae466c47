//! Making an env relocatable in place: console scripts that run the
//! interpreter next to their own real location, activation scripts that
//! find the env from where they are, and `relocatable = true` in
//! `pyvenv.cfg`. Every file is replaced by a rename, so a kill leaves each
//! file old or new, and running the conversion again finishes the job.
//!
//! Lines of `.pth` files that name a directory inside the env (editable
//! installs of projects kept in the env, as pip does for VCS checkouts in
//! `src/`) become relative: Python reads them relative to site-packages.
//!
//! What still ties a relocatable env to absolute paths: the base
//! interpreter (`bin/python` links to it; `home`, `executable` and
//! `command` in `pyvenv.cfg` name it), so the env works anywhere on the same
//! machine (or one with the same interpreter at the same path), not on
//! another. Informational records keep the absolute paths they were written
//! with: pip's `RECORD` and `direct_url.json`, `.egg-link` files, and
//! setuptools' editable finder modules (`__editable___*_finder.py`, used for
//! flat-layout projects; a project inside the env with that layout is
//! found at its old place). A package installed after the move writes the
//! new paths.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use venvoy_python::PyvenvCfg;

use crate::activation;
use crate::error::RelocateError;
use crate::kind::is_binary;
use venvoy_dist::script_header::{self as shebang, Interpreter};

/// What [`make_relocatable`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// Console scripts given the relocatable header.
    pub scripts: Vec<PathBuf>,
    /// Activation scripts written again.
    pub activation: Vec<PathBuf>,
    /// `.pth` files whose lines into the env became relative.
    pub path_files: Vec<PathBuf>,
    /// Whether `pyvenv.cfg` changed (it had no `relocatable = true`).
    pub config_changed: bool,
}

/// Convert the env at `root`.
pub fn make_relocatable(root: &Path) -> Result<Converted, RelocateError> {
    if !venvoy_fs::is_venv(root) {
        return Err(RelocateError::NotAVenv { path: root.to_path_buf() });
    }
    let bin = venvoy_fs::scripts_dir(root).unwrap_or_else(|| root.join("bin"));
    // What an interrupted run left in the places this one writes.
    venvoy_fs::atomic::clean_stale_in(root);
    venvoy_fs::atomic::clean_stale_in(&bin);
    let canonical = std::fs::canonicalize(root).map_err(RelocateError::io("read", root))?;
    let roots = [root.to_path_buf(), canonical];
    let scripts = make_scripts_relocatable(&bin, &roots)?;
    let mut path_files = Vec::new();
    for site in site_packages_dirs(root) {
        path_files.extend(make_pth_relative(&site, &roots)?);
    }

    let cfg_path = root.join("pyvenv.cfg");
    let mut cfg = PyvenvCfg::read(root).map_err(RelocateError::io("read", &cfg_path))?;
    let bin_name = bin.file_name().map_or_else(|| "bin".into(), OsStr::to_string_lossy);
    let mut written = Vec::new();
    for (name, text) in activation::render(root, &bin_name, &cfg, true, root) {
        let path = bin.join(&name);
        if path.is_file() {
            replace(&path, &text, 0o644)?;
            written.push(path);
        }
    }
    written.sort();
    let config_changed = !activation::is_relocatable(&cfg);
    if config_changed {
        cfg.set("relocatable", "true");
        replace(&cfg_path, cfg.render().as_bytes(), 0o644)?;
    }
    Ok(Converted { scripts, activation: written, path_files, config_changed })
}

/// Give every console script in `bin` whose interpreter is in the env's own
/// scripts directory (under any of `roots`, the names the env is known by)
/// the relocatable header. Works on an env being built, too: `bin` may be
/// in a temporary directory while `roots` names where the env will be.
pub fn make_scripts_relocatable(bin: &Path, roots: &[PathBuf]) -> Result<Vec<PathBuf>, RelocateError> {
    let bin_name = bin.file_name().unwrap_or(OsStr::new("bin"));
    let own_bins: Vec<PathBuf> = roots.iter().map(|r| r.join(bin_name)).collect();
    let mut changed = Vec::new();
    let entries = std::fs::read_dir(bin).map_err(RelocateError::io("read", bin))?;
    for entry in entries {
        let entry = entry.map_err(RelocateError::io("read", bin))?;
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(RelocateError::io("read", &path))?;
        if is_binary(&bytes) {
            continue;
        }
        let Some(header) = shebang::parse(&bytes) else { continue };
        let Interpreter::Path(python) = &header.interpreter else { continue };
        let python = Path::new(OsStr::from_bytes(python));
        let (Some(dir), Some(name)) = (python.parent(), python.file_name()) else { continue };
        if !own_bins.iter().any(|b| b == dir) {
            continue;
        }
        let new = shebang::assemble(&shebang::render_relative(name.as_bytes(), header.args), header.body);
        let mode = entry.metadata().map_err(RelocateError::io("read", &path))?.permissions().mode();
        replace(&path, &new, mode)?;
        changed.push(path);
    }
    changed.sort();
    Ok(changed)
}

/// `lib/<python>/site-packages` (and Windows' `Lib/site-packages`) under `root`.
fn site_packages_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for lib in ["lib", "Lib"] {
        let Ok(entries) = std::fs::read_dir(root.join(lib)) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let site = entry.path().join("site-packages");
            if entry.file_name() == "site-packages" {
                dirs.push(entry.path());
            } else if site.is_dir() {
                dirs.push(site);
            }
        }
    }
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Turn absolute lines of `site/*.pth` that point inside the env (under
/// any of `roots`) into paths relative to `site`; returns the files changed.
fn make_pth_relative(site: &Path, roots: &[PathBuf]) -> Result<Vec<PathBuf>, RelocateError> {
    let Some(site_rel) = roots.iter().find_map(|r| site.strip_prefix(r).ok()) else { return Ok(Vec::new()) };
    let up = "../".repeat(site_rel.components().count());
    let mut changed = Vec::new();
    let entries = std::fs::read_dir(site).map_err(RelocateError::io("read", site))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "pth") || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(RelocateError::io("read", &path))?;
        let Ok(text) = std::str::from_utf8(&bytes) else { continue };
        let mut out = String::with_capacity(text.len());
        let mut any = false;
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            let inside = roots.iter().find_map(|r| Path::new(body).strip_prefix(r).ok());
            match inside {
                Some(rest) if body.starts_with('/') => {
                    out.push_str(&up);
                    out.push_str(&rest.to_string_lossy());
                    out.push_str(&line[body.len()..]);
                    any = true;
                }
                _ => out.push_str(line),
            }
        }
        if any {
            let mode = entry.metadata().map_err(RelocateError::io("read", &path))?.permissions().mode();
            replace(&path, out.as_bytes(), mode)?;
            changed.push(path);
        }
    }
    changed.sort();
    Ok(changed)
}

/// Replace `path` with `bytes` by writing beside it and renaming over it.
fn replace(path: &Path, bytes: &[u8], mode: u32) -> Result<(), RelocateError> {
    venvoy_fs::write_atomic_mode(path, bytes, mode & 0o7777).map_err(RelocateError::io("write", path))
}
