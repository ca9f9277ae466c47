//! Resolving a [`PythonRequest`] to one interpreter: the best match among
//! those discovered, or the file a path, command, venv or shim points to.

use std::path::{Path, PathBuf};

use crate::discovery::{Discovered, Discoverer, is_executable};
use crate::error::FindError;
use crate::interpreter::{Implementation, Interpreter};
use crate::pyvenv_cfg::PyvenvCfg;
use crate::query::venv_root_of;
use crate::request::PythonRequest;
use crate::source::{ShimManager, Source, shim_manager};
use crate::version_file::find_version_file;

/// The interpreter chosen for a request, and why.
#[derive(Debug, Clone)]
pub struct Selection {
    pub interpreter: Interpreter,
    /// How it was chosen, for `-v` and `--json` (e.g. "`.python-version` in /src/app").
    pub reason: String,
    /// Commands on PATH the request would have taken first but could not
    /// use (a `python3` that hangs or fails), with why: the caller warns.
    pub skipped: Vec<crate::discovery::Problem>,
}

impl Discoverer {
    /// The best interpreter for `request`. Only supported interpreters (3.7+)
    /// are returned; naming an older one is an error that says so.
    pub fn find(&self, request: &PythonRequest) -> Result<Selection, FindError> {
        let selection = self.find_any(request)?;
        if !selection.interpreter.is_supported() {
            return Err(unsupported(&selection.interpreter));
        }
        Ok(selection)
    }

    fn find_any(&self, request: &PythonRequest) -> Result<Selection, FindError> {
        match request {
            PythonRequest::Default => self.default_interpreter(),
            PythonRequest::Version { .. } => {
                self.best_match(request, &self.discover(), format!("the newest match for `{request}`"))
            }
            PythonRequest::Path(path) => self.resolve_path(&self.absolute(path)),
            PythonRequest::Command(command) => match self.resolve_command(command) {
                // `pypy` with no `pypy` on PATH still means any PyPy.
                Err(FindError::CommandNotFound { .. })
                    if let Some(version) = PythonRequest::interpreter_name_as_version(command) =>
                {
                    self.best_match(&version, &self.discover(), format!("the newest match for `{command}`"))
                }
                other => other,
            },
        }
    }

    /// The Python the user expects when they name none: the nearest
    /// `.python-version`; else what `python3` on PATH runs (pyenv shims
    /// resolved as pyenv would), if it satisfies `requires-python` of the
    /// nearest `pyproject.toml`; else the newest interpreter that does
    /// (CPython first); else the newest CPython.
    fn default_interpreter(&self) -> Result<Selection, FindError> {
        if let Some(found) = find_version_file(&self.env.cwd) {
            let (file, names) = found?;
            return self.via_version_file(&file, &names);
        }
        let mut skipped = Vec::new();
        let requires = crate::project::requires_python(&self.env.cwd);
        let fits = |i: &Interpreter| requires.as_ref().is_none_or(|r| r.specifiers.contains(&i.version()));
        let constraint = requires
            .as_ref()
            .map(|r| format!("`requires-python = \"{}\"` in `{}`", r.text, r.file.display()))
            .unwrap_or_default();
        match self.resolve_command("python3") {
            Ok(sel) if sel.interpreter.is_supported() && fits(&sel.interpreter) => {
                let also = if requires.is_some() {
                    format!(", which satisfies {constraint}")
                } else {
                    String::new()
                };
                return Ok(Selection { reason: format!("{}{also}", sel.reason), ..sel });
            }
            Ok(sel) if !sel.interpreter.is_supported() => {
                tracing::info!("{} runs {}, which venvoy cannot use", sel.reason, sel.interpreter.label());
            }
            Ok(sel) => {
                tracing::info!("{} runs {}, outside {constraint}", sel.reason, sel.interpreter.label())
            }
            Err(FindError::CommandNotFound { .. }) => tracing::debug!("no `python3` on PATH"),
            Err(err) => {
                let path = PathBuf::from("python3");
                // The query's own error names the file and what it did.
                let message = match &err {
                    FindError::NotPython { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                tracing::debug!("no usable `python3` on PATH: {message}");
                skipped.push(crate::discovery::Problem { path, message });
            }
        }
        let found = self.discover();
        if let Some(r) = &requires {
            let best = found
                .interpreters
                .iter()
                .filter(|i| i.is_supported() && !i.is_free_threaded() && !i.is_venv() && fits(i))
                .min_by_key(|i| i.implementation() != Implementation::CPython);
            if let Some(interpreter) = best {
                return Ok(Selection {
                    interpreter: interpreter.clone(),
                    reason: format!("the newest interpreter that satisfies {constraint}"),
                    skipped,
                });
            }
            tracing::info!(
                "no interpreter satisfies `requires-python = \"{}\"`; taking the newest CPython",
                r.text
            );
        }
        let selection =
            self.best_match(&PythonRequest::Default, &found, "the newest CPython found".into())?;
        Ok(Selection { skipped, ..selection })
    }

    fn best_match(
        &self,
        request: &PythonRequest,
        found: &Discovered,
        reason: String,
    ) -> Result<Selection, FindError> {
        if let Some(i) = found.interpreters.iter().find(|i| i.is_supported() && request.matches(i)) {
            return Ok(Selection { interpreter: i.clone(), reason, skipped: Vec::new() });
        }
        // An installed but unsupported match is named as such, not "no match".
        if let Some(old) = found.interpreters.iter().find(|i| request.matches(i)) {
            return Err(unsupported(old));
        }
        Err(FindError::NoMatch { request: request.to_string(), available: available(found) })
    }

    fn via_version_file(&self, file: &Path, names: &[String]) -> Result<Selection, FindError> {
        let reason = format!("`{}`", file.display());
        let mut discovered: Option<Discovered> = None;
        for name in names {
            tracing::debug!("{} asks for `{name}`", file.display());
            if name == "system" {
                if let Ok(sel) = self.resolve_system_command("python3") {
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
                    return Ok(Selection {
                        interpreter: self.inspect(&exe, Source::Request)?,
                        reason,
                        skipped: Vec::new(),
                    });
                }
            }
            return Err(FindError::NoInterpreterInDir { path: path.to_path_buf() });
        }
        match path.parent().and_then(|parent| shim_manager(parent, &self.env)) {
            Some(ShimManager::Pyenv) => return self.resolve_shim(path),
            Some(manager) => return self.resolve_tool_shim(path, manager),
            None => {}
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
        Ok(Selection { interpreter: self.inspect(path, Source::Request)?, reason, skipped: Vec::new() })
    }

    /// A venv's base interpreter, read from the venv itself (no Python is
    /// run for the venv): where its `bin/python` links lead, else the
    /// interpreter in `pyvenv.cfg`'s `home` named for its `implementation`
    /// and `version`. A candidate of another version or implementation (the
    /// CPython `python3` beside a PyPy in `/usr/bin`) is never taken.
    fn venv_base(&self, venv: &Path) -> Result<Selection, FindError> {
        let cfg = PyvenvCfg::read(venv).unwrap_or_default();
        let home = cfg.home();
        let missing = || FindError::VenvBaseMissing { path: venv.to_path_buf(), home: home.clone() };
        let want = venv_identity(venv, &cfg);
        for (i, exe) in venv_base_candidates(venv).into_iter().enumerate() {
            // The first candidate is `venv_base_exe`, which callers gate by
            // trust; any other runs only if venvoy finds it on its own.
            if i > 0 && !self.is_known(&exe) {
                continue;
            }
            let Ok(interpreter) = self.inspect(&exe, Source::Request) else { continue };
            if !want.accepts(&interpreter) {
                tracing::debug!(
                    "`{}` is {}, not the interpreter of the venv `{}`",
                    exe.display(),
                    interpreter.label(),
                    venv.display()
                );
                continue;
            }
            tracing::debug!("venv `{}` is based on `{}`", venv.display(), exe.display());
            return Ok(Selection {
                interpreter,
                reason: format!("the base interpreter of the venv `{}`", venv.display()),
                skipped: Vec::new(),
            });
        }
        Err(missing())
    }
    /// A command name, looked up on PATH as a shell would.
    pub fn resolve_command(&self, command: &str) -> Result<Selection, FindError> {
        for dir in self.env.path_dirs() {
            let exe = dir.join(command);
            if is_executable(&exe) {
                let sel = self.resolve_path(&exe)?;
                let reason = if shim_manager(&dir, &self.env).is_some() {
                    format!("`{command}` on PATH, {}", sel.reason)
                } else {
                    format!("`{command}` on PATH ({})", exe.display())
                };
                return Ok(Selection { reason, ..sel });
            }
        }
        Err(FindError::CommandNotFound { command: command.to_string() })
    }

    /// `command` on PATH leaving out version managers' shims and pyenv's own
    /// directories: what `system` means to pyenv, asdf and mise.
    fn resolve_system_command(&self, command: &str) -> Result<Selection, FindError> {
        let root = self.env.pyenv_root();
        for dir in self.env.path_dirs() {
            if shim_manager(&dir, &self.env).is_some() || root.as_ref().is_some_and(|r| dir.starts_with(r)) {
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
                self.resolve_system_command(name)
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

    /// What an asdf or mise shim would run, worked out as the tool does
    /// (its per-shell variable, the nearest `.tool-versions` — or for mise
    /// `mise.toml` — then the global one) without running the tool. With no
    /// version set, mise falls through to the next `python3` on PATH and asdf
    /// refuses.
    fn resolve_tool_shim(&self, shim: &Path, manager: ShimManager) -> Result<Selection, FindError> {
        let name = shim.file_name().and_then(|n| n.to_str()).unwrap_or("python");
        let (tool, root, variable) = match manager {
            ShimManager::Mise => ("mise", self.env.mise_root(), &self.env.mise_python_version),
            _ => ("asdf", self.env.asdf_root(), &self.env.asdf_python_version),
        };
        let root = root.ok_or_else(|| FindError::Missing { path: shim.to_path_buf() })?;
        let versions: Vec<String> = match variable {
            Some(v) => v
                .split_whitespace()
                .filter(|n| crate::version_file::is_plain_name(n) && !n.contains(':'))
                .map(str::to_string)
                .collect(),
            None => crate::version_file::tool_python_versions(
                &self.env.cwd,
                self.env.home.as_deref(),
                manager == ShimManager::Mise,
            ),
        };
        let versions = if versions.is_empty() && manager == ShimManager::Mise {
            vec!["system".to_string()]
        } else {
            versions
        };
        let installs = root.join("installs/python");
        for version in &versions {
            let found = if version == "system" {
                self.resolve_system_command(name)
            } else {
                let Some(dir) = install_dir(&installs, version) else { continue };
                let exe = dir.join("bin").join(name);
                if is_executable(&exe) { self.resolve_path(&exe) } else { continue }
            };
            if let Ok(sel) = found {
                return Ok(Selection {
                    reason: format!("the {tool} shim `{}` (version `{version}`)", shim.display()),
                    ..sel
                });
            }
        }
        Err(FindError::CommandNotFound {
            command: format!("{name} ({tool} versions: {})", versions.join(", ")),
        })
    }
}

/// `<installs>/<version>`, else the newest install whose name starts with
/// `<version>.` (mise and asdf accept a prefix such as `3.11`).
fn install_dir(installs: &Path, version: &str) -> Option<PathBuf> {
    let exact = installs.join(version);
    if exact.is_dir() {
        return Some(exact);
    }
    let key = |name: &str| -> Vec<u64> { name.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    std::fs::read_dir(installs)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(&format!("{version}.")))
        .max_by_key(|n| key(n))
        .map(|n| installs.join(n))
}

/// What a venv says about its interpreter: `implementation` and
/// `version`/`version_info` from `pyvenv.cfg`, else the names in `bin/`.
#[derive(Debug, Default)]
struct VenvIdentity {
    pypy: Option<bool>,
    minor: Option<(u64, u64)>,
}

impl VenvIdentity {
    fn accepts(&self, interpreter: &Interpreter) -> bool {
        self.minor.is_none_or(|m| m == (interpreter.major(), interpreter.minor()))
            && self.pypy.is_none_or(|p| p == (interpreter.implementation() == Implementation::PyPy))
    }
}

fn venv_identity(venv: &Path, cfg: &PyvenvCfg) -> VenvIdentity {
    let minor = cfg.version().and_then(|v| {
        let mut parts = v.split('.').map(|p| p.trim().parse::<u64>().ok());
        Some((parts.next()??, parts.next()??))
    });
    let pypy = cfg.get("implementation").map(|i| i.eq_ignore_ascii_case("pypy")).or_else(|| {
        bin_dir(venv)
            .and_then(|bin| std::fs::read_dir(bin).ok())
            .map(|entries| {
                entries.filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().starts_with("pypy"))
            })
            .filter(|found| *found)
    });
    VenvIdentity { pypy, minor }
}

/// The names to try in a venv's `home`, the most specific first.
fn home_names(want: &VenvIdentity) -> Vec<String> {
    let mut stems = vec!["python"];
    if want.pypy == Some(true) {
        stems.insert(0, "pypy");
    } else if want.pypy.is_none() {
        stems.push("pypy");
    }
    let mut names = Vec::new();
    for stem in stems {
        if let Some((major, minor)) = want.minor {
            names.push(format!("{stem}{major}.{minor}"));
            names.push(format!("{stem}{major}"));
        }
        names.push(format!("{stem}3"));
        names.push(stem.to_string());
    }
    names.push("python.exe".into());
    names
}

fn bin_dir(venv: &Path) -> Option<PathBuf> {
    ["bin", "Scripts"].into_iter().map(|d| venv.join(d)).find(|d| d.is_dir())
}

/// Where the venv's interpreter links lead outside its `bin/`: `python`,
/// `python3`, then the other interpreter names, each followed through the
/// links that stay inside `bin/` (`python -> python3 -> /usr/bin/pypy3`).
fn link_targets(venv: &Path) -> Vec<PathBuf> {
    let Some(bin) = bin_dir(venv) else { return Vec::new() };
    let mut names: Vec<String> = std::fs::read_dir(&bin)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| venvoy_fs::venv::is_interpreter_name(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort_by_key(|n| (n != "python", n != "python3", n.clone()));
    names
        .iter()
        .filter_map(|name| {
            let mut current = bin.join(name);
            for _ in 0..16 {
                let target = std::fs::read_link(&current).ok()?;
                let next = current.parent().unwrap_or(&bin).join(target);
                if !next.starts_with(&bin) {
                    return Some(next);
                }
                current = next;
            }
            None
        })
        .collect()
}

fn unsupported(interpreter: &Interpreter) -> FindError {
    FindError::Unsupported {
        path: interpreter.path.clone(),
        found: format!("{} (`{}`)", interpreter.label(), interpreter.found_as.display()),
    }
}

fn available(found: &Discovered) -> Vec<String> {
    let mut labels: Vec<String> =
        found.interpreters.iter().filter(|i| i.is_supported()).map(Interpreter::label).collect();
    labels.dedup();
    labels
}

/// The base interpreter of a venv, read from the venv without running
/// anything: the first of [`venv_base_candidates`].
pub fn venv_base_exe(venv: &Path) -> Result<PathBuf, FindError> {
    venv_base_candidates(venv).into_iter().next().ok_or_else(|| FindError::VenvBaseMissing {
        path: venv.to_path_buf(),
        home: PyvenvCfg::read(venv).ok().and_then(|c| c.home()),
    })
}

/// The executables that may be a venv's base interpreter, most likely
/// first: where its `bin/python` links lead, then the names in `home` that
/// fit `pyvenv.cfg`'s `implementation` and `version` (`pypy3.9` before
/// `python3` for a PyPy env).
pub fn venv_base_candidates(venv: &Path) -> Vec<PathBuf> {
    let cfg = PyvenvCfg::read(venv).unwrap_or_default();
    let want = venv_identity(venv, &cfg);
    let mut candidates = link_targets(venv);
    if let Some(home_dir) = cfg.home() {
        candidates.extend(home_names(&want).iter().map(|n| home_dir.join(n)));
    }
    let mut out: Vec<PathBuf> = Vec::new();
    for exe in candidates {
        if is_executable(&exe) && !out.contains(&exe) {
            out.push(exe);
        }
    }
    out
}
