//! A venv as found on disk, made by any tool: its `pyvenv.cfg`, scripts
//! directory, interpreter links and site-packages, read without running Python.

use std::path::{Path, PathBuf};

use venvoy_fs::venv::is_interpreter_name;
use venvoy_python::PyvenvCfg;

/// One interpreter name in the venv's `bin/` (`python`, `python3`, `python3.12`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpreterLink {
    pub path: PathBuf,
    /// The link's own target, when it is a symlink.
    pub target: Option<PathBuf>,
    /// Whether it reaches an existing file.
    pub resolves: bool,
}

/// A venv directory.
#[derive(Debug, Clone)]
pub struct Venv {
    pub root: PathBuf,
    /// The bytes of `pyvenv.cfg`, `None` when it is missing or unreadable.
    pub cfg_bytes: Option<Vec<u8>>,
    /// Why `pyvenv.cfg` exists but was not read (a FIFO, a device, too large).
    pub cfg_error: Option<String>,
    /// `pyvenv.cfg` parsed (empty when missing).
    pub cfg: PyvenvCfg,
    /// `bin` (or `Scripts`).
    pub bin: PathBuf,
}

impl Venv {
    /// Read the venv at `root`. Never fails: what is missing is recorded.
    pub fn open(root: &Path) -> Self {
        // Only a regular file of sensible size: a FIFO or a huge file is
        // recorded as unreadable, never waited on or read whole.
        let (cfg_bytes, cfg_error) =
            match venvoy_fs::read::read_capped(&root.join("pyvenv.cfg"), venvoy_fs::read::SMALL) {
                Ok(bytes) => (Some(bytes), None),
                Err(err) if err.is_not_found() => (None, None),
                Err(err) => (None, Some(err.to_string())),
            };
        let cfg = cfg_bytes.as_deref().map(PyvenvCfg::parse).unwrap_or_default();
        let bin = ["bin", "Scripts"]
            .into_iter()
            .map(|d| root.join(d))
            .find(|d| d.is_dir())
            .unwrap_or_else(|| root.join("bin"));
        Self { root: root.to_path_buf(), cfg_bytes, cfg_error, cfg, bin }
    }

    /// Whether `dir` is a venv, or looks like one that lost its `pyvenv.cfg`:
    /// a `bin/activate` script (every tool writes one) and a
    /// `lib/pythonX.Y/site-packages`, but no standard library (which would
    /// make it a Python installation, never to be "repaired" into a venv).
    pub fn looks_like_venv(dir: &Path) -> bool {
        if venvoy_fs::is_venv(dir) {
            return true;
        }
        let libs = lib_python_dirs(dir);
        dir.join("bin/activate").is_file()
            && libs.iter().any(|(d, _)| d.join("site-packages").is_dir())
            && !libs.iter().any(|(d, _)| d.join("os.py").exists())
    }

    /// `(major, minor, patch)` from `pyvenv.cfg`, else `(major, minor)` from
    /// the `lib/pythonX.Y` directory name.
    pub fn version(&self) -> Option<(u64, u64, Option<u64>)> {
        if let Some(v) = self.cfg.version() {
            let mut parts = v.split('.').map(|p| {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<u64>().ok()
            });
            if let (Some(Some(a)), Some(Some(b))) = (parts.next(), parts.next()) {
                return Some((a, b, parts.next().flatten()));
            }
        }
        self.version_from_links().or_else(|| {
            lib_python_dirs(&self.root).into_iter().find_map(|(_, v)| v).map(|(a, b)| (a, b, None))
        })
    }

    fn version_from_links(&self) -> Option<(u64, u64, Option<u64>)> {
        self.interpreter_links().iter().find_map(|l| {
            let name = l.path.file_name()?.to_str()?;
            let (a, b) = parse_minor(name.strip_prefix("python")?)?;
            Some((a, b, None))
        })
    }

    /// The implementation written in `pyvenv.cfg` (`CPython`, `PyPy`), if any.
    pub fn implementation(&self) -> Option<&str> {
        self.cfg.get("implementation")
    }

    /// The `prompt`, unquoted when it was written as a Python literal; else
    /// the directory name (what the stdlib's activation scripts show).
    pub fn prompt(&self) -> String {
        self.cfg.prompt().unwrap_or_else(|| {
            self.root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        })
    }

    /// The prompt only when `pyvenv.cfg` sets one.
    pub fn explicit_prompt(&self) -> Option<String> {
        self.cfg.prompt()
    }

    pub fn relocatable(&self) -> bool {
        self.cfg.get("relocatable").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// The interpreter names in `bin/`, sorted by name.
    pub fn interpreter_links(&self) -> Vec<InterpreterLink> {
        let Ok(entries) = std::fs::read_dir(&self.bin) else { return Vec::new() };
        let mut links: Vec<InterpreterLink> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_str().is_some_and(is_interpreter_name))
            .map(|e| {
                let path = e.path();
                InterpreterLink { target: std::fs::read_link(&path).ok(), resolves: path.is_file(), path }
            })
            .collect();
        links.sort_by(|a, b| a.path.cmp(&b.path));
        links
    }

    /// The env's `python` (or `python3`, or any interpreter name) that runs.
    pub fn python(&self) -> Option<PathBuf> {
        let links = self.interpreter_links();
        ["python", "python3"]
            .into_iter()
            .map(|n| self.bin.join(n))
            .find(|p| p.is_file())
            .or_else(|| links.into_iter().find(|l| l.resolves).map(|l| l.path))
    }

    /// The venv's own site-packages directories (`lib/pythonX.Y/site-packages`,
    /// `lib/pypyX.Y/site-packages`, `Lib/site-packages`), the one matching the
    /// `pyvenv.cfg` version first; `lib64` duplicates removed.
    pub fn site_packages(&self) -> Vec<PathBuf> {
        let version = self.version().map(|(a, b, _)| (a, b));
        let mut dirs: Vec<(bool, PathBuf)> = lib_python_dirs(&self.root)
            .into_iter()
            .map(|(dir, v)| (version.is_some() && v != version, dir.join("site-packages")))
            .filter(|(_, d)| d.is_dir())
            .collect();
        if version.is_some() && dirs.iter().any(|(other, _)| !other) {
            dirs.retain(|(other, _)| !other);
        }
        dirs.sort();
        let mut out: Vec<PathBuf> = dirs.into_iter().map(|(_, d)| d).collect();
        for extra in [self.root.join("Lib/site-packages"), self.root.join("site-packages")] {
            if extra.is_dir() && !out.contains(&extra) {
                out.push(extra);
            }
        }
        out
    }
}

/// `lib/python3.12`, `lib/pypy3.10` (and `lib64/…` when it is a real directory), with the version.
pub(crate) fn lib_python_dirs(root: &Path) -> Vec<(PathBuf, Option<(u64, u64)>)> {
    let mut out = Vec::new();
    for lib in ["lib", "lib64"] {
        let dir = root.join(lib);
        if lib == "lib64" && std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let rest = name.strip_prefix("python").or_else(|| name.strip_prefix("pypy"));
            if let Some(rest) = rest {
                out.push((entry.path(), parse_minor(rest)));
            }
        }
    }
    out.sort();
    out
}

/// `3.12` (or `3.13t`) as `(3, 12)`.
pub fn parse_minor(text: &str) -> Option<(u64, u64)> {
    let text = text.strip_suffix('t').unwrap_or(text);
    let (a, b) = text.split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_versions() {
        assert_eq!(parse_minor("3.12"), Some((3, 12)));
        assert_eq!(parse_minor("3.13t"), Some((3, 13)));
        assert_eq!(parse_minor("3"), None);
    }

    #[test]
    fn an_installation_is_not_a_venv_without_cfg() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("lib/python3.12/site-packages")).unwrap();
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::write(root.join("bin/activate"), "").unwrap();
        assert!(Venv::looks_like_venv(root));
        std::fs::write(root.join("lib/python3.12/os.py"), "").unwrap();
        assert!(!Venv::looks_like_venv(root));
        std::fs::write(root.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        assert!(!Venv::looks_like_venv(root), "a stray pyvenv.cfg does not make a venv");
        std::os::unix::fs::symlink("/usr/bin/python3", root.join("bin/python")).unwrap();
        assert!(Venv::looks_like_venv(root));
    }
}
