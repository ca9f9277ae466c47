//! The one resolver every command uses to turn ENV (or nothing) into a venv:
//! a path, a name in the env home, the active `$VIRTUAL_ENV`, or the nearest
//! `.venv` (directory, or a PEP 832 `.venv` file) walking up from the
//! current directory. `~` in ENV and in `.venv` files is expanded here, once,
//! with [`venvoy_fs::path::absolute`].

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::EnvError;
use crate::pointer::{self, Pointer};
use venvoy_fs::is_venv;

/// The facts the resolver needs; the CLI fills them from the environment.
#[derive(Debug, Clone)]
pub struct EnvContext {
    pub cwd: PathBuf,
    /// `$VENVOY_HOME`, else `$WORKON_HOME`, else `$XDG_DATA_HOME/venvoy/envs`.
    pub env_home: PathBuf,
    /// `$VIRTUAL_ENV`.
    pub virtual_env: Option<PathBuf>,
    /// The user's home directory, for `~`.
    pub home: Option<PathBuf>,
}

/// Which rule found the env.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum Rule {
    /// ENV contained `/` or was `.`/`..`.
    Path,
    /// ENV was a bare name in the env home.
    Name,
    /// `$VIRTUAL_ENV`.
    Active,
    /// A `.venv` directory in `project`.
    DotVenv { project: PathBuf },
    /// A `.venv` pointer file.
    Pointer { file: PathBuf },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Path => f.write_str("a path"),
            Self::Name => f.write_str("a name in the env home"),
            Self::Active => f.write_str("`$VIRTUAL_ENV`"),
            Self::DotVenv { project } => write!(f, "the `.venv` directory in `{}`", project.display()),
            Self::Pointer { file } => write!(f, "the pointer file `{}`", file.display()),
        }
    }
}

/// An env found by the resolver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedEnv {
    /// The env's root directory.
    pub root: PathBuf,
    /// Its name, when it lives in the env home.
    pub name: Option<String>,
    #[serde(flatten)]
    pub rule: Rule,
}

/// Whether ENV is a path (contains `/`, is `.` or `..`, or starts with `~`)
/// rather than a name.
pub fn is_path_spec(spec: &str) -> bool {
    spec.contains('/') || spec == "." || spec == ".." || spec.starts_with('~')
}

impl EnvContext {
    /// Resolve ENV, or the default env when `spec` is `None`.
    pub fn resolve(&self, spec: Option<&str>) -> Result<ResolvedEnv, EnvError> {
        match spec {
            Some(spec) if is_path_spec(spec) => self.at_path(&self.absolute(Path::new(spec)), Rule::Path),
            Some(name) => self.by_name(name),
            None => self.default_env(),
        }
    }

    /// `path` as the user meant it: `~` expanded, made absolute against the
    /// current directory, normalised.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        venvoy_fs::path::absolute(path, &self.cwd, self.home.as_deref())
    }

    fn at_path(&self, root: &Path, rule: Rule) -> Result<ResolvedEnv, EnvError> {
        if !root.exists() {
            return Err(EnvError::Missing { path: root.to_path_buf(), rule: rule.to_string() });
        }
        if let Err(why) = venvoy_fs::venv::probe(root) {
            return Err(EnvError::NotAVenv {
                path: root.to_path_buf(),
                rule: rule.to_string(),
                why: why.to_string(),
            });
        }
        let name = root
            .parent()
            .filter(|p| *p == self.env_home)
            .and_then(|_| root.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        Ok(ResolvedEnv { root: root.to_path_buf(), name, rule })
    }

    fn by_name(&self, name: &str) -> Result<ResolvedEnv, EnvError> {
        if !crate::name::is_valid(name) {
            return Err(EnvError::BadName { name: name.to_string() });
        }
        let root = self.env_home.join(name);
        if !root.exists() {
            let local = self.cwd.join(name);
            return Err(EnvError::NoSuchName {
                name: name.to_string(),
                home: self.env_home.clone(),
                available: self.home_envs().into_iter().map(|(n, _)| n).collect(),
                local: is_venv(&local).then_some(local),
            });
        }
        let mut env = self.at_path(&root, Rule::Name)?;
        env.name = Some(name.to_string());
        Ok(env)
    }

    fn default_env(&self) -> Result<ResolvedEnv, EnvError> {
        if let Some(active) = &self.virtual_env {
            if !is_venv(active) {
                return Err(EnvError::StaleActive { path: active.clone() });
            }
            return self.at_path(active, Rule::Active);
        }
        self.project_env(&self.cwd).unwrap_or_else(|| Err(EnvError::NotFound { cwd: self.cwd.clone() }))
    }

    /// The nearest `.venv` at or above `start`: `None` when there is none.
    pub fn project_env(&self, start: &Path) -> Option<Result<ResolvedEnv, EnvError>> {
        for dir in start.ancestors() {
            let candidate = dir.join(".venv");
            let Ok(meta) = std::fs::symlink_metadata(&candidate) else { continue };
            let project = dir.to_path_buf();
            // A `.venv` symlink counts as what it points to.
            let is_dir = meta.is_dir() || (meta.file_type().is_symlink() && candidate.is_dir());
            if is_dir {
                return Some(self.at_path(&candidate, Rule::DotVenv { project }));
            }
            if meta.file_type().is_symlink() && !candidate.exists() {
                return Some(Err(EnvError::Missing {
                    path: candidate,
                    rule: format!("the `.venv` link in `{}`", dir.display()),
                }));
            }
            let rule = Rule::Pointer { file: candidate.clone() };
            return Some(match pointer::read(&candidate, self.home.as_deref()) {
                Ok(Pointer::Path(path)) => self.at_path(&path, rule),
                Ok(Pointer::Name(name)) => self.by_name(&name).map(|e| ResolvedEnv { rule, ..e }),
                Err(err) => Err(err),
            });
        }
        None
    }

    /// Every venv directly in the env home, sorted by name.
    pub fn home_envs(&self) -> Vec<(String, PathBuf)> {
        let Ok(entries) = std::fs::read_dir(&self.env_home) else { return Vec::new() };
        let mut envs: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_venv(p))
            .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), p)))
            .collect();
        envs.sort();
        envs
    }
}
