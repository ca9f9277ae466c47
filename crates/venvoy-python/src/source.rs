//! Where interpreters live on a machine, and how to list the candidates in each place.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use venvoy_fs::venv::is_interpreter_name;

/// Where discovery found an interpreter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// A directory on `PATH`.
    Path,
    /// `$PYENV_ROOT/versions/*`.
    Pyenv,
    /// uv-managed Pythons (`uv python install`).
    Uv,
    /// asdf's python plugin.
    Asdf,
    /// mise's python installs.
    Mise,
    /// conda, miniconda, miniforge, mamba.
    Conda,
    /// Homebrew's `python@3.X` kegs (macOS, Linuxbrew).
    Homebrew,
    /// `/Library/Frameworks/Python.framework` (python.org installers on macOS).
    Framework,
    /// The Windows registry (PEP 514).
    Registry,
    /// Named directly by the user (a path or a command).
    Request,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Self::Path => "PATH",
            Self::Pyenv => "pyenv",
            Self::Uv => "uv",
            Self::Asdf => "asdf",
            Self::Mise => "mise",
            Self::Conda => "conda",
            Self::Homebrew => "homebrew",
            Self::Framework => "framework",
            Self::Registry => "registry",
            Self::Request => "request",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The parts of the caller's environment that discovery looks at. The CLI
/// fills this from the real environment; tests fill it by hand.
#[derive(Debug, Clone, Default)]
pub struct SearchEnv {
    /// `PATH`.
    pub path: Option<OsString>,
    /// The user's home directory.
    pub home: Option<PathBuf>,
    /// `PYENV_ROOT`, else `~/.pyenv`.
    pub pyenv_root: Option<PathBuf>,
    /// `PYENV_VERSION`.
    pub pyenv_version: Option<String>,
    /// `UV_PYTHON_INSTALL_DIR`, else `$XDG_DATA_HOME/uv/python`.
    pub uv_python_dir: Option<PathBuf>,
    /// `ASDF_DATA_DIR`, else `~/.asdf`.
    pub asdf_dir: Option<PathBuf>,
    /// `MISE_DATA_DIR`, else `$XDG_DATA_HOME/mise` (settled by the caller).
    pub mise_dir: Option<PathBuf>,
    /// `ASDF_PYTHON_VERSION`: asdf's per-shell version.
    pub asdf_python_version: Option<String>,
    /// `MISE_PYTHON_VERSION`: mise's per-shell version.
    pub mise_python_version: Option<String>,
    /// `CONDA_PREFIX` and the usual conda roots.
    pub conda_roots: Vec<PathBuf>,
    /// The current directory, for relative requests and `.python-version`.
    pub cwd: PathBuf,
}

impl SearchEnv {
    /// The directories on `PATH`, in order.
    pub fn path_dirs(&self) -> Vec<PathBuf> {
        self.path.as_ref().map(|p| std::env::split_paths(p).collect()).unwrap_or_default()
    }

    pub fn pyenv_root(&self) -> Option<PathBuf> {
        self.pyenv_root.clone().or_else(|| self.home.as_ref().map(|h| h.join(".pyenv")))
    }

    /// asdf's data directory: `ASDF_DATA_DIR`, else `~/.asdf`.
    pub fn asdf_root(&self) -> Option<PathBuf> {
        self.asdf_dir.clone().or_else(|| self.home.as_ref().map(|h| h.join(".asdf")))
    }

    /// mise's data directory: `MISE_DATA_DIR`, else `~/.local/share/mise`.
    pub fn mise_root(&self) -> Option<PathBuf> {
        self.mise_dir.clone().or_else(|| self.home.as_ref().map(|h| h.join(".local/share/mise")))
    }
}

/// A version manager whose shims directory is on PATH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShimManager {
    Pyenv,
    Asdf,
    Mise,
}

/// Which version manager's shims `dir` holds, if any: their files are
/// scripts that re-dispatch through the manager, never interpreters.
pub fn shim_manager(dir: &Path, env: &SearchEnv) -> Option<ShimManager> {
    if is_shim_dir(dir, env) {
        return Some(ShimManager::Pyenv);
    }
    if env.asdf_root().is_some_and(|r| dir == r.join("shims")) {
        return Some(ShimManager::Asdf);
    }
    if env.mise_root().is_some_and(|r| dir == r.join("shims")) {
        return Some(ShimManager::Mise);
    }
    None
}

/// A file that may be a Python interpreter, and where it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub source: Source,
}

/// Whether `dir` is a pyenv (or pyenv-virtualenv) shims directory: its files
/// are shell scripts that re-dispatch through pyenv, not interpreters.
pub fn is_shim_dir(dir: &Path, env: &SearchEnv) -> bool {
    if let Some(root) = env.pyenv_root()
        && dir.starts_with(&root)
        && dir.file_name().is_some_and(|n| n == "shims")
    {
        return true;
    }
    dir.file_name().is_some_and(|n| n == "shims") && dir.join("python").is_file() && {
        std::fs::read(dir.join("python")).is_ok_and(|b| b.starts_with(b"#!") && contains(&b, b"pyenv"))
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Interpreter-named files directly in `dir`, sorted so `python3.12` comes
/// before `python3` before `python` (the most specific name is kept when
/// several names reach the same file).
pub fn interpreters_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(is_interpreter_name))
        .map(|e| e.path())
        .collect();
    found.sort_by(|a, b| {
        let (a, b) = (a.file_name().unwrap_or_default(), b.file_name().unwrap_or_default());
        b.len().cmp(&a.len()).then(a.cmp(b))
    });
    found
}

/// Every candidate on the machine, in source priority order: PATH first, then
/// the version managers, then the platform's own places.
pub fn candidates(env: &SearchEnv) -> (Vec<Candidate>, Vec<SearchProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let push_dir = |dir: &Path, source: Source, out: &mut Vec<Candidate>| {
        for path in interpreters_in(dir) {
            out.push(Candidate { path, source });
        }
    };

    for dir in env.path_dirs() {
        if dir.as_os_str().is_empty() || shim_manager(&dir, env).is_some() {
            continue;
        }
        match std::fs::read_dir(&dir) {
            Ok(_) => push_dir(&dir, Source::Path, &mut out),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => problems.push(SearchProblem {
                path: dir.clone(),
                message: format!("cannot read directory on PATH: {err}"),
            }),
        }
    }

    let managed = |root: Option<PathBuf>, bin_rel: &[&str], source: Source, out: &mut Vec<Candidate>| {
        let Some(root) = root else { return };
        let Ok(entries) = std::fs::read_dir(&root) else { return };
        let mut dirs: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        dirs.sort();
        for d in dirs {
            for rel in bin_rel {
                push_dir(&d.join(rel), source, out);
            }
        }
    };

    managed(env.pyenv_root().map(|r| r.join("versions")), &["bin"], Source::Pyenv, &mut out);
    let xdg_data = env.home.as_ref().map(|h| h.join(".local/share"));
    managed(
        env.uv_python_dir.clone().or_else(|| xdg_data.as_ref().map(|d| d.join("uv/python"))),
        &["bin", "install/bin"],
        Source::Uv,
        &mut out,
    );
    managed(env.asdf_root().map(|d| d.join("installs/python")), &["bin"], Source::Asdf, &mut out);
    managed(env.mise_root().map(|d| d.join("installs/python")), &["bin"], Source::Mise, &mut out);
    for root in &env.conda_roots {
        push_dir(&root.join("bin"), Source::Conda, &mut out);
        managed(Some(root.join("envs")), &["bin"], Source::Conda, &mut out);
    }
    if cfg!(target_os = "macos") {
        push_dir(Path::new("/opt/homebrew/bin"), Source::Homebrew, &mut out);
        managed(Some(PathBuf::from("/opt/homebrew/opt")), &["bin"], Source::Homebrew, &mut out);
        managed(Some(PathBuf::from("/usr/local/opt")), &["bin"], Source::Homebrew, &mut out);
        managed(
            Some(PathBuf::from("/Library/Frameworks/Python.framework/Versions")),
            &["bin"],
            Source::Framework,
            &mut out,
        );
    } else if cfg!(target_os = "linux") {
        managed(Some(PathBuf::from("/home/linuxbrew/.linuxbrew/opt")), &["bin"], Source::Homebrew, &mut out);
    }
    // The Windows registry (PEP 514) is read only on Windows, where venvoy is
    // not tested yet; see ARCHITECTURE.md.
    (out, problems)
}

/// Something discovery could not look at; reported with `-v`, never fatal.
#[derive(Debug, Clone)]
pub struct SearchProblem {
    pub path: PathBuf,
    pub message: String,
}
