//! Resolving a [`PythonRequest`] to one interpreter: the best match among
//! those discovered, or the file a path, command, venv or shim points to.

use std::path::{Path, PathBuf};

use crate::discovery::{Discovered, Discoverer, is_executable};
use crate::error::FindError;
use crate::interpreter::Interpreter;
use crate::pyvenv_cfg::PyvenvCfg;
use crate::query::venv_root_of;
use crate::request::PythonRequest;
use crate::source::{Source, is_shim_dir};
use crate::version_file::find_version_file;

/// The interpreter chosen for a request, and why.
#[derive(Debug, Clone)]
pub struct Selection {
    pub interpreter: Interpreter,
    /// How it was chosen, for `-v` and `--json` (e.g. "`.python-version` in /src/app").
    pub reason: String,
}

impl Discoverer {
    /// The best interpreter for `request`. Only supported interpreters (3.7+)
    /// are returned; naming an older one is an error that says so.
    pub fn find(&self, request: &PythonRequest) -> Result<Selection, FindError> {
        let selection = self.find_any(request)?;
        if !selection.interpreter.is_supported() {
            return Err(FindError::Unsupported {
                path: selection.interpreter.path.clone(),
                found: format!(
                    "{} at `{}`",
                    selection.interpreter.label(),
                    selection.interpreter.found_as.display()
                ),
            });
        }
        Ok(selection)
    }

    fn find_any(&self, request: &PythonRequest) -> Result<Selection, FindError> {
        match request {
            PythonRequest::Default => {
                if let Some(found) = find_version_file(&self.env.cwd) {
                    let (file, names) = found?;
                    return self.via_version_file(&file, &names);
                }
                self.best_match(request, &self.discover(), "the newest CPython found".into())
            }
            PythonRequest::Version { .. } => {
                self.best_match(request, &self.discover(), format!("the newest match for `{request}`"))
            }
            PythonRequest::Path(path) => self.resolve_path(&self.absolute(path)),
            PythonRequest::Command(command) => self.resolve_command(command),
        }
    }

    fn best_match(
        &self,
        request: &PythonRequest,
        found: &Discovered,
        reason: String,
    ) -> Result<Selection, FindError> {
        found
            .interpreters
            .iter()
            .find(|i| i.is_supported() && request.matches(i))
            .map(|i| Selection { interpreter: i.clone(), reason })
            .ok_or_else(|| FindError::NoMatch { request: request.to_string(), available: available(found) })
    }

    fn via_version_file(&self, file: &Path, names: &[String]) -> Result<Selection, FindError> {
        let reason = format!("`{}`", file.display());
        let mut discovered: Option<Discovered> = None;
        for name in names {
            tracing::debug!("{} asks for `{name}`", file.display());
            if name == "system" {
                if let Ok(sel) = self.resolve_command_excluding_pyenv("python3") {
                    return Ok(Selection { reason: format!("`system` in {reason}"), ..sel });
                }
                continue;
            }
            if let Some(root) = self.env.pyenv_root() {
                let prefix = root.join("versions").join(name);
                if prefix.is_dir() {
                    if let Ok(sel) = self.resolve_path(&prefix) {
                        return Ok(Selection { reason: format!("`{name}` in {reason}"), ..sel });
                    }
                    continue;
                }
            }
            let Ok(request @ PythonRequest::Version { .. }) = PythonRequest::parse(name) else { continue };
            let found = discovered.get_or_insert_with(|| self.discover());
            if let Ok(sel) = self.best_match(&request, found, format!("`{name}` in {reason}")) {
                return Ok(sel);
            }
        }
        let found = discovered.unwrap_or_else(|| self.discover());
        Err(FindError::VersionFile {
            file: file.to_path_buf(),
            name: names.join(" "),
            available: available(&found),
        })
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        if let (Ok(rest), Some(home)) = (path.strip_prefix("~"), &self.env.home) {
            return home.join(rest);
        }
        if path.is_absolute() { path.to_path_buf() } else { self.env.cwd.join(path) }
    }

    /// A path: an executable, an install prefix, a venv, or a pyenv shim.
    pub fn resolve_path(&self, path: &Path) -> Result<Selection, FindError> {
        let reason = format!("the path `{}`", path.display());
        if path.is_dir() {
            if venvoy_fs::is_venv(path) {
                return self.venv_base(path);
            }
            for rel in ["bin/python3", "bin/python", "python3", "python", "python.exe"] {
                let exe = path.join(rel);
                if exe.is_file() {
                    return Ok(Selection { interpreter: self.inspect(&exe, Source::Request)?, reason });
                }
            }
            return Err(FindError::NoInterpreterInDir { path: path.to_path_buf() });
        }
        if let Some(parent) = path.parent()
            && is_shim_dir(parent, &self.env)
        {
            return self.resolve_shim(path);
        }
        if path.exists()
            && let Some(venv) = venv_root_of(path)
        {
            tracing::info!(
                "`{}` is in the venv `{}`; using its base interpreter",
                path.display(),
                venv.display()
            );
            return self.venv_base(&venv);
        }
        Ok(Selection { interpreter: self.inspect(path, Source::Request)?, reason })
    }

    /// A venv's base interpreter, from its `pyvenv.cfg` (no Python is run for the venv).
    fn venv_base(&self, venv: &Path) -> Result<Selection, FindError> {
        let exe = venv_base_exe(venv)?;
        tracing::debug!("venv `{}` is based on `{}`", venv.display(), exe.display());
        Ok(Selection {
            interpreter: self.inspect(&exe, Source::Request)?,
            reason: format!("the base interpreter of the venv `{}`", venv.display()),
        })
    }
    /// A command name, looked up on PATH as a shell would.
    pub fn resolve_command(&self, command: &str) -> Result<Selection, FindError> {
        for dir in self.env.path_dirs() {
            let exe = dir.join(command);
            if is_executable(&exe) {
                let sel = self.resolve_path(&exe)?;
                return Ok(Selection { reason: format!("`{command}` on PATH ({})", exe.display()), ..sel });
            }
        }
        Err(FindError::CommandNotFound { command: command.to_string() })
    }

    fn resolve_command_excluding_pyenv(&self, command: &str) -> Result<Selection, FindError> {
        let root = self.env.pyenv_root();
        for dir in self.env.path_dirs() {
            if is_shim_dir(&dir, &self.env) || root.as_ref().is_some_and(|r| dir.starts_with(r)) {
                continue;
            }
            let exe = dir.join(command);
            if is_executable(&exe) {
                return self.resolve_path(&exe);
            }
        }
        Err(FindError::CommandNotFound { command: command.to_string() })
    }

    /// What a pyenv shim would run, worked out the way pyenv does (PYENV_VERSION,
    /// `.python-version`, the global version file) without running pyenv.
    fn resolve_shim(&self, shim: &Path) -> Result<Selection, FindError> {
        let name = shim.file_name().and_then(|n| n.to_str()).unwrap_or("python");
        let root = self.env.pyenv_root().ok_or_else(|| FindError::Missing { path: shim.to_path_buf() })?;
        let versions: Vec<String> = if let Some(v) = &self.env.pyenv_version {
            v.split(':').map(str::to_string).collect()
        } else if let Some(found) = find_version_file(&self.env.cwd) {
            found?.1
        } else {
            let global = root.join("version");
            match venvoy_fs::read::read_capped(&global, venvoy_fs::read::SMALL) {
                Ok(bytes) => crate::version_file::read(&global, &bytes)?,
                Err(_) => Vec::new(),
            }
        };
        let versions = if versions.is_empty() { vec!["system".to_string()] } else { versions };
        for version in &versions {
            let found = if version == "system" {
                self.resolve_command_excluding_pyenv(name)
            } else {
                let exe = root.join("versions").join(version).join("bin").join(name);
                if is_executable(&exe) { self.resolve_path(&exe) } else { continue }
            };
            if let Ok(sel) = found {
                return Ok(Selection {
                    reason: format!("the pyenv shim `{}` (version `{version}`)", shim.display()),
                    ..sel
                });
            }
        }
        Err(FindError::CommandNotFound {
            command: format!("{name} (pyenv versions: {})", versions.join(", ")),
        })
    }
}

fn available(found: &Discovered) -> Vec<String> {
    let mut labels: Vec<String> =
        found.interpreters.iter().filter(|i| i.is_supported()).map(Interpreter::label).collect();
    labels.dedup();
    labels
}

/// The interpreter a venv's `pyvenv.cfg` names (`home` and the usual names
/// in it), without running anything: callers decide whether it may run.
pub fn venv_base_exe(venv: &Path) -> Result<PathBuf, FindError> {
    let cfg = PyvenvCfg::read(venv).unwrap_or_default();
    let home = cfg.home();
    let missing = || FindError::VenvBaseMissing { path: venv.to_path_buf(), home: home.clone() };
    let Some(home_dir) = home.as_ref() else { return Err(missing()) };
    let mut names = Vec::new();
    if let Some(version) = cfg.version() {
        let mut parts = version.split('.');
        if let (Some(major), Some(minor)) = (parts.next(), parts.next()) {
            names.push(format!("python{major}.{minor}"));
            names.push(format!("python{major}"));
        }
    }
    names.extend(["python3", "python", "pypy3", "pypy", "python.exe"].map(String::from));
    names.iter().map(|n| home_dir.join(n)).find(|p| is_executable(p)).ok_or_else(missing)
}
