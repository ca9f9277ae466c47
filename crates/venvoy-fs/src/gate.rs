//! The one answer to "may venvoy delete this directory?". Every path that
//! deletes (`remove`, `create --clear`, `gc`, `move`'s source, repair, `cache
//! clean`) asks here first.
//!
//! An env may be deleted when it passes the venv test ([`crate::venv`]) and
//! its top level holds no sign of a project or of user data: version control,
//! project files, Python sources. What packages legitimately install at an
//! env's top level (`share/`, `etc/`, `man/`, `include/`, pip's `src/` of
//! editable VCS checkouts, pipenv's `.project`, `.gitignore`, `CACHEDIR.TAG`)
//! does not count.
//!
//! venvoy's own cache and data directories are deleted only when they carry
//! venvoy's mark ([`mark_own`]).

use std::path::{Path, PathBuf};

use crate::venv::{self, NotVenv};

/// Why a directory may not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteRefusal {
    #[error("`{}` is not a venv: {why}", path.display())]
    NotVenv {
        path: PathBuf,
        why: NotVenv,
        /// Its top-level entries (the first few), what deleting it would lose.
        holds: Vec<String>,
    },
    #[error("`{}` is a venv but also holds a project or user data: {}", path.display(), found.join(", "))]
    HoldsProject { path: PathBuf, found: Vec<String> },
    #[error("`{}` was not made by venvoy (it has no `{OWN_MARK}` mark)", path.display())]
    NotOwn { path: PathBuf },
    #[error("cannot read `{}`", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DeleteRefusal {
    /// The directory the refusal is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::NotVenv { path, .. }
            | Self::HoldsProject { path, .. }
            | Self::NotOwn { path }
            | Self::Unreadable { path, .. } => path,
        }
    }
}

impl crate::Hint for DeleteRefusal {
    /// What the user can do about it.
    fn hint(&self) -> Option<String> {
        Some(match self {
            Self::NotVenv { holds, .. } if !holds.is_empty() => format!(
                "it holds {}; venvoy deletes only venvs, so check the path, or delete it yourself",
                holds.join(", ")
            ),
            Self::NotVenv { .. } => "venvoy deletes only venvs; check the path, or delete it yourself".into(),
            Self::HoldsProject { found, .. } => format!(
                "deleting it would lose {}; move the env out of the project, or pass `--force` if you are sure",
                found.join(", ")
            ),
            Self::NotOwn { .. } => {
                "venvoy deletes only directories it made; delete it yourself if you are sure".into()
            }
            Self::Unreadable { .. } => return None,
        })
    }
}

/// Top-level names that mark a project or user data, never part of an env.
const PROJECT_NAMES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "pdm.lock",
    "uv.lock",
    "tox.ini",
    "noxfile.py",
    "manage.py",
];

/// Whether a top-level entry named `name` is a sign of a project or user data.
pub fn is_project_sign(name: &str) -> bool {
    PROJECT_NAMES.contains(&name)
        || (name.starts_with("requirements") && name.ends_with(".txt"))
        || name.starts_with("README")
        || name.ends_with(".py")
        || name.ends_with(".ipynb")
}

/// How many top-level names a refusal lists before summing up the rest.
const LIST_AT_MOST: usize = 8;

/// The top-level names in `dir`, sorted, the first [`LIST_AT_MOST`] of them
/// and a count of the rest (empty when it cannot be read).
pub fn top_level_names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    if names.len() > LIST_AT_MOST {
        let rest = names.len() - LIST_AT_MOST;
        names.truncate(LIST_AT_MOST);
        names.push(format!("and {rest} more"));
    }
    names
}

/// The signs of a project or user data at the top level of `dir`, sorted.
pub fn project_signs(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_project_sign(name))
        .collect();
    found.sort();
    Ok(found)
}

/// Whether venvoy may delete the env at `dir` (see the module docs).
///
/// `dir` itself must not be a symlink: the caller deletes what it names.
pub fn check_deletable(dir: &Path) -> Result<(), DeleteRefusal> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(DeleteRefusal::NotVenv {
                path: dir.to_path_buf(),
                why: NotVenv::Unreadable(crate::read::ReadError::NotRegular {
                    path: dir.to_path_buf(),
                    kind: "symlink",
                }),
                holds: Vec::new(),
            });
        }
        Ok(_) => {}
        Err(source) => return Err(DeleteRefusal::Unreadable { path: dir.to_path_buf(), source }),
    }
    venv::probe(dir).map_err(|why| DeleteRefusal::NotVenv {
        path: dir.to_path_buf(),
        why,
        holds: top_level_names(dir),
    })?;
    let found =
        project_signs(dir).map_err(|source| DeleteRefusal::Unreadable { path: dir.to_path_buf(), source })?;
    if !found.is_empty() {
        return Err(DeleteRefusal::HoldsProject { path: dir.to_path_buf(), found });
    }
    Ok(())
}

/// Why an env could not be deleted.
#[derive(Debug, thiserror::Error)]
pub enum DeleteError {
    #[error(transparent)]
    Refused(#[from] DeleteRefusal),
    #[error("could not delete `{}`", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl crate::Hint for DeleteError {
    fn hint(&self) -> Option<String> {
        match self {
            Self::Refused(r) => r.hint(),
            Self::Io { .. } => None,
        }
    }
}

/// Delete the env at `dir` once [`check_deletable`] allows it (with `force`,
/// also when its top level holds a project): moved aside in one rename, so it
/// is gone at once, then removed. A removal interrupted half-way leaves a
/// hidden sibling that the next venvoy run in that directory finishes.
pub fn delete_env(dir: &Path, force: bool) -> Result<(), DeleteError> {
    match check_deletable(dir) {
        Ok(()) => {}
        Err(DeleteRefusal::HoldsProject { found, .. }) if force => {
            tracing::info!("deleting `{}` although it holds {}", dir.display(), found.join(", "));
        }
        Err(refusal) => return Err(refusal.into()),
    }
    let aside = crate::atomic::aside_path(dir);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DeleteError::Io { path, source }
    };
    std::fs::rename(dir, &aside).map_err(io(dir))?;
    std::fs::remove_dir_all(&aside).map_err(io(&aside))
}

/// The name of the file that marks a directory as venvoy's own.
pub const OWN_MARK: &str = ".venvoy-owned";

/// Mark `dir` (a cache or data directory venvoy made) as venvoy's own.
pub fn mark_own(dir: &Path, what: &str) -> std::io::Result<()> {
    let mark = dir.join(OWN_MARK);
    if mark.is_file() {
        return Ok(());
    }
    crate::atomic::write_atomic_mode(&mark, format!("venvoy {what}\n").as_bytes(), 0o644)
}

/// Whether venvoy may delete its own directory `dir`: it carries the mark,
/// or (a directory an older venvoy made before marks existed) every entry in
/// it has a name `is_own_name` accepts or a temporary name venvoy makes.
pub fn check_own(dir: &Path, is_own_name: impl Fn(&str) -> bool) -> Result<(), DeleteRefusal> {
    if crate::read::is_regular_file(&dir.join(OWN_MARK)) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|source| DeleteRefusal::Unreadable { path: dir.to_path_buf(), source })?;
    let all_own = entries.filter_map(Result::ok).all(|e| {
        let name = e.file_name();
        crate::atomic::temp_owner(&name).is_some()
            || name.to_str().is_some_and(|n| n == OWN_MARK || is_own_name(n))
    });
    if all_own { Ok(()) } else { Err(DeleteRefusal::NotOwn { path: dir.to_path_buf() }) }
}

/// Create `dir` for venvoy's own use; mark it as venvoy's own only when this
/// call made it (a directory the user named and that already existed, say
/// `VENVOY_CACHE_DIR=~/Documents`, is never marked, so never deleted whole).
pub fn create_own(dir: &Path, what: &str) -> std::io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            mark_own(dir, what)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hint as _;
    use crate::venv::tests::fake_venv;

    #[test]
    fn a_plain_venv_may_be_deleted() {
        let dir = tempfile::tempdir().unwrap();
        fake_venv(dir.path());
        for legit in ["share", "etc", "src", "include"] {
            std::fs::create_dir(dir.path().join(legit)).unwrap();
        }
        std::fs::write(dir.path().join(".gitignore"), "*").unwrap();
        std::fs::write(dir.path().join(".project"), "/src/app").unwrap();
        check_deletable(dir.path()).unwrap();
    }

    #[test]
    fn a_project_root_that_is_also_a_venv_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fake_venv(dir.path());
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("app.py"), "").unwrap();
        std::fs::write(dir.path().join("requirements-dev.txt"), "").unwrap();
        let err = check_deletable(dir.path()).unwrap_err();
        match &err {
            DeleteRefusal::HoldsProject { found, .. } => {
                assert_eq!(found, &[".git", "app.py", "requirements-dev.txt"]);
            }
            other => panic!("{other}"),
        }
        assert!(crate::Hint::hint(&err).unwrap().contains(".git"));
    }

    #[test]
    fn a_stray_config_is_not_a_venv() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pyvenv.cfg"), "").unwrap();
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        assert!(matches!(
            check_deletable(dir.path()),
            Err(DeleteRefusal::NotVenv { why: NotVenv::NoHome, .. })
        ));
        let err = check_deletable(dir.path()).unwrap_err();
        assert!(err.hint().unwrap().contains("bin, pyvenv.cfg"), "{:?}", err.hint());
    }

    #[test]
    fn a_symlink_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join("env");
        fake_venv(&env);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&env, &link).unwrap();
        assert!(check_deletable(&link).is_err());
    }

    #[test]
    fn own_directories_need_the_mark() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.txt"), "").unwrap();
        std::fs::create_dir(dir.path().join("wheels")).unwrap();
        assert!(matches!(check_own(dir.path(), |n| n == "wheels"), Err(DeleteRefusal::NotOwn { .. })));
        mark_own(dir.path(), "cache").unwrap();
        check_own(dir.path(), |n| n == "wheels").unwrap();
    }

    #[test]
    fn an_unmarked_directory_of_own_names_is_own() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("wheels")).unwrap();
        check_own(dir.path(), |n| n == "wheels").unwrap();
    }

    #[test]
    fn only_a_directory_made_here_is_marked() {
        let dir = tempfile::tempdir().unwrap();
        create_own(dir.path(), "cache").unwrap();
        assert!(!dir.path().join(OWN_MARK).exists(), "it existed: not ours");
        let new = dir.path().join("a/b");
        create_own(&new, "cache").unwrap();
        assert!(new.join(OWN_MARK).is_file());
    }
}
