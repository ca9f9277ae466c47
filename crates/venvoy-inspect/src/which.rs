//! What runs for a command name: every match on PATH in the order the shell
//! searches, the one that runs, the venv each belongs to, symlinks, and the
//! interpreter of scripts.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use venvoy_python::SearchEnv;
use venvoy_python::source::is_shim_dir;

use venvoy_dist::script_header::Shebang;

/// The facts `which` needs from the caller's environment.
#[derive(Debug, Clone)]
pub struct WhichEnv {
    pub path: Option<OsString>,
    pub cwd: PathBuf,
    pub virtual_env: Option<PathBuf>,
    pub python_home: Option<OsString>,
    pub python_path: Option<OsString>,
    /// For recognising pyenv shims.
    pub search: SearchEnv,
}

impl WhichEnv {
    /// The PATH directories in order; an empty entry means the current directory.
    pub fn path_dirs(&self) -> Vec<PathBuf> {
        let Some(path) = &self.path else { return Vec::new() };
        std::env::split_paths(path)
            .map(|d| if d.as_os_str().is_empty() { self.cwd.clone() } else { d })
            .map(|d| if d.is_relative() { self.cwd.join(d) } else { d })
            .collect()
    }
}

/// One executable file found for the name.
#[derive(Debug, Clone)]
pub struct Match {
    pub path: PathBuf,
    /// Index of its directory in PATH.
    pub path_index: usize,
    /// The first match: what the shell runs.
    pub runs: bool,
    /// The venv the file lives in, if any.
    pub venv: Option<PathBuf>,
    /// The symlink's own target, if the file is a symlink.
    pub symlink_to: Option<PathBuf>,
    /// The file finally reached.
    pub resolved: PathBuf,
    /// For scripts: the interpreter from the shebang.
    pub interpreter: Option<PathBuf>,
    /// For `#!/usr/bin/env NAME` scripts: NAME.
    pub env_command: Option<String>,
    /// A relocatable script: it runs the Python next to its real location.
    pub relocatable_script: bool,
    /// A pyenv shim: pyenv picks the version, not PATH.
    pub pyenv_shim: bool,
    /// Index of an earlier match in the same directory (a directory on PATH twice).
    pub same_as: Option<usize>,
}

/// Every match for `name` on PATH, in search order.
pub fn find_all(name: &str, env: &WhichEnv) -> Vec<Match> {
    if name.contains('/') {
        let path = if Path::new(name).is_absolute() { PathBuf::from(name) } else { env.cwd.join(name) };
        return if is_executable(&path) { vec![describe(path, 0, true, env, None)] } else { Vec::new() };
    }
    let mut out: Vec<Match> = Vec::new();
    for (index, dir) in env.path_dirs().into_iter().enumerate() {
        let path = dir.join(name);
        if !is_executable(&path) {
            continue;
        }
        let same_as = out.iter().position(|m| same_dir(&m.path, &path));
        let runs = out.is_empty();
        out.push(describe(path, index, runs, env, same_as));
    }
    out
}

/// The first match for `name` (what the shell runs), if any.
pub fn first(name: &str, env: &WhichEnv) -> Option<Match> {
    env.path_dirs().into_iter().enumerate().find_map(|(index, dir)| {
        let path = dir.join(name);
        is_executable(&path).then(|| describe(path, index, true, env, None))
    })
}

fn describe(path: PathBuf, path_index: usize, runs: bool, env: &WhichEnv, same_as: Option<usize>) -> Match {
    let symlink_to = std::fs::read_link(&path).ok();
    let resolved = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    let shebang = Shebang::read(&resolved);
    let relocatable_script = shebang.as_ref().is_some_and(|s| s.relative);
    let (interpreter, env_command) = match shebang {
        Some(s) if s.relative => (None, None),
        Some(s) => match s.env_command {
            Some(cmd) => (first_plain(&cmd, env), Some(cmd)),
            None => (Some(s.interpreter), None),
        },
        None => (None, None),
    };
    let pyenv_shim = path.parent().is_some_and(|d| is_shim_dir(d, &env.search));
    Match {
        venv: venv_of(&path),
        path,
        path_index,
        runs,
        symlink_to,
        resolved,
        interpreter,
        env_command,
        relocatable_script,
        pyenv_shim,
        same_as,
    }
}

fn first_plain(name: &str, env: &WhichEnv) -> Option<PathBuf> {
    env.path_dirs().into_iter().map(|d| d.join(name)).find(|p| is_executable(p))
}

/// The venv a file in `<venv>/bin/` belongs to.
pub fn venv_of(path: &Path) -> Option<PathBuf> {
    let root = path.parent()?.parent()?;
    venvoy_fs::is_venv(root).then(|| root.to_path_buf())
}

/// What the shell can run: a file (through symlinks) with an execute bit.
pub fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Two matches in the same directory reached through two PATH entries.
fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| p.parent().and_then(|d| std::fs::canonicalize(d).ok());
    a.file_name() == b.file_name() && canon(a).is_some() && canon(a) == canon(b)
}
