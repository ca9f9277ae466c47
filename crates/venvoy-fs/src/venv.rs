//! The one answer to "is this directory a venv?", used by every command that
//! finds, lists, repairs or deletes envs.
//!
//! A directory is a venv when
//! - its `pyvenv.cfg` is a regular file of sensible size with a `home` key,
//! - it has a scripts directory (`bin`, or `Scripts` on Windows) holding a
//!   `python` entry (a link that dangles still counts: the env of a removed
//!   Python is still a venv, one that `doctor` or `gc` deals with), and
//! - it has a library directory (`lib`, `lib64` or `Lib`).
//!
//! An empty or stray `pyvenv.cfg` does not make a directory a venv.

use std::path::{Path, PathBuf};

use crate::read::{self, ReadError};

/// Why a directory is not a venv.
#[derive(Debug, thiserror::Error)]
pub enum NotVenv {
    #[error("it has no `pyvenv.cfg`")]
    NoConfig,
    #[error(transparent)]
    Unreadable(ReadError),
    #[error("its `pyvenv.cfg` has no `home` key")]
    NoHome,
    #[error("it has no `bin` directory")]
    NoScripts,
    #[error("its `{0}` directory has no `python`")]
    NoPython(&'static str),
    #[error("it has no `lib` directory")]
    NoLib,
}

/// Whether `dir` is a venv made by any tool (venv, virtualenv, uv, venvoy, …).
pub fn is_venv(dir: &Path) -> bool {
    probe(dir).is_ok()
}

/// Check `dir` against the venv test, saying which part fails.
pub fn probe(dir: &Path) -> Result<(), NotVenv> {
    let cfg = dir.join("pyvenv.cfg");
    let text = match read::read_to_string_capped(&cfg, read::SMALL) {
        Ok(text) => text,
        Err(e) if e.is_not_found() => return Err(NotVenv::NoConfig),
        Err(e) => return Err(NotVenv::Unreadable(e)),
    };
    if !has_home_key(&text) {
        return Err(NotVenv::NoHome);
    }
    // The usual venv answers with one `lstat` of `bin/python` (which also
    // says `bin` is a directory); others have their scripts directory listed.
    if std::fs::symlink_metadata(dir.join("bin/python")).is_err() {
        let (scripts, name) = scripts_dir_named(dir).ok_or(NotVenv::NoScripts)?;
        if !has_python(&scripts) {
            return Err(NotVenv::NoPython(name));
        }
    }
    if !["lib", "lib64", "Lib"].iter().any(|l| dir.join(l).is_dir()) {
        return Err(NotVenv::NoLib);
    }
    Ok(())
}

/// Whether `pyvenv.cfg` text has a `home = …` line (keys compared as the
/// stdlib `site` module does: stripped, case-insensitive).
pub fn has_home_key(text: &str) -> bool {
    text.lines().any(|line| {
        line.split_once('=')
            .is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("home") && !v.trim().is_empty())
    })
}

/// The venv's scripts directory, if it has one.
pub fn scripts_dir(dir: &Path) -> Option<PathBuf> {
    scripts_dir_named(dir).map(|(p, _)| p)
}

fn scripts_dir_named(dir: &Path) -> Option<(PathBuf, &'static str)> {
    ["bin", "Scripts"].into_iter().map(|d| (dir.join(d), d)).find(|(d, _)| d.is_dir())
}

fn has_python(scripts: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(scripts) else { return false };
    entries.filter_map(Result::ok).any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        name == "python" || name == "python.exe" || name.starts_with("python3") || name.starts_with("pypy")
    })
}

impl crate::Hint for NotVenv {
    fn hint(&self) -> Option<String> {
        match self {
            Self::Unreadable(e) => e.hint(),
            _ => None,
        }
    }
}

/// Whether a file name looks like an interpreter: `python`, `python3`,
/// `python3.12`, `python3.13t`, `pypy`, `pypy3`, `pypy3.10` (and `.exe` forms).
pub fn is_interpreter_name(name: &str) -> bool {
    let name = name.strip_suffix(".exe").unwrap_or(name);
    let rest = if let Some(r) = name.strip_prefix("python") {
        r
    } else if let Some(r) = name.strip_prefix("pypy") {
        r
    } else {
        return false;
    };
    let rest = rest.strip_suffix('t').unwrap_or(rest);
    if rest.is_empty() {
        return true;
    }
    let mut parts = rest.split('.');
    let major = parts.next().unwrap_or("");
    let minor = parts.next();
    if parts.next().is_some() || major.is_empty() || !major.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    minor.is_none_or(|m| !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()))
}

/// The env root a script's `interpreter` names when that is a former place of
/// the env at `root`: `P/bin/python…` (or `pypy…`) with `P` not `root` (nor
/// the same directory by another name), where `P` is a venv or the
/// interpreter is gone. That is what a copy made with `cp -a`, or an env
/// moved by hand, shows. `doctor` and `clone`/`move` share this rule.
pub fn former_root(interpreter: &Path, root: &Path, canonical_root: &Path) -> Option<PathBuf> {
    let is_python = interpreter.file_name().and_then(|n| n.to_str()).is_some_and(is_interpreter_name);
    let bin = interpreter.parent()?;
    if !is_python || !bin.ends_with("bin") {
        return None;
    }
    let prefix = bin.parent()?;
    let same = prefix == root || std::fs::canonicalize(prefix).is_ok_and(|c| c == canonical_root);
    (!same && (is_venv(prefix) || !interpreter.exists())).then(|| prefix.to_path_buf())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal venv layout, as every tool makes it.
    pub(crate) fn fake_venv(dir: &Path) {
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        std::fs::create_dir_all(dir.join("lib/python3.12/site-packages")).unwrap();
        std::fs::write(dir.join("pyvenv.cfg"), "home = /usr/bin\nversion = 3.12.1\n").unwrap();
        std::os::unix::fs::symlink("/nonexistent/python3.12", dir.join("bin/python")).unwrap();
    }

    #[test]
    fn a_venv_with_a_dangling_python_is_a_venv() {
        let dir = tempfile::tempdir().unwrap();
        fake_venv(dir.path());
        assert!(is_venv(dir.path()));
    }

    #[test]
    fn each_missing_part_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert!(matches!(probe(d), Err(NotVenv::NoConfig)));
        std::fs::write(d.join("pyvenv.cfg"), "").unwrap();
        assert!(matches!(probe(d), Err(NotVenv::NoHome)));
        std::fs::write(d.join("pyvenv.cfg"), "Home=/usr/bin\n").unwrap();
        assert!(matches!(probe(d), Err(NotVenv::NoScripts)));
        std::fs::create_dir(d.join("bin")).unwrap();
        assert!(matches!(probe(d), Err(NotVenv::NoPython("bin"))));
        std::fs::write(d.join("bin/python3"), "").unwrap();
        assert!(matches!(probe(d), Err(NotVenv::NoLib)));
        std::fs::create_dir(d.join("lib")).unwrap();
        assert!(probe(d).is_ok());
    }

    #[test]
    fn a_fifo_config_is_unreadable_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("pyvenv.cfg");
        rustix::fs::mkfifoat(rustix::fs::CWD, &cfg, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
        assert!(matches!(probe(dir.path()), Err(NotVenv::Unreadable(_))));
    }

    #[test]
    fn interpreter_names() {
        for ok in [
            "python",
            "python3",
            "python3.12",
            "python3.13t",
            "pypy",
            "pypy3",
            "pypy3.10",
            "python.exe",
            "python3.12.exe",
        ] {
            assert!(is_interpreter_name(ok), "{ok}");
        }
        for bad in [
            "python3-config",
            "python3.12-config",
            "python3.12-gdb.py",
            "pythonw3",
            "python3.",
            "py",
            "python3.x",
            "python3.1.2",
        ] {
            assert!(!is_interpreter_name(bad), "{bad}");
        }
    }
}
