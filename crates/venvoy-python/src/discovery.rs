//! Discovery: every interpreter on the machine, deduplicated, queried in
//! parallel where the cache has no answer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use crate::cache::{FileIdentity, QueryCache};
use crate::error::{FindError, QueryError};
use crate::interpreter::{Implementation, Interpreter, QueryInfo};
use crate::query::{self, is_script, venv_root_of};
use crate::source::{self, SearchEnv, Source};

/// Something discovery skipped, and why; shown with `-v`, never fatal.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: PathBuf,
    pub message: String,
}

/// The result of a discovery pass.
#[derive(Debug, Clone, Default)]
pub struct Discovered {
    /// Newest first; CPython before other implementations of the same version;
    /// then in source order.
    pub interpreters: Vec<Interpreter>,
    pub problems: Vec<Problem>,
}

/// Settings shared by every lookup.
#[derive(Debug, Clone)]
pub struct Discoverer {
    pub env: SearchEnv,
    pub cache: QueryCache,
    /// How long one interpreter may take to answer its query.
    pub timeout: Duration,
}

struct Unique {
    canonical: PathBuf,
    identity: FileIdentity,
    found_as: PathBuf,
    sources: Vec<Source>,
}

impl Discoverer {
    pub fn new(env: SearchEnv, cache: QueryCache, timeout: Duration) -> Self {
        Self { env, cache, timeout }
    }

    /// Whether `path` is an interpreter venvoy finds on its own (PATH, pyenv,
    /// uv, asdf, mise, conda, …), compared by canonical path. Nothing is run:
    /// this is how callers decide whether a path an env names may be run.
    pub fn is_known(&self, path: &Path) -> bool {
        let Ok(target) = std::fs::canonicalize(path) else { return false };
        let (candidates, _) = source::candidates(&self.env);
        candidates
            .iter()
            .any(|c| c.path == target || std::fs::canonicalize(&c.path).is_ok_and(|p| p == target))
    }

    /// Find every interpreter on the machine.
    pub fn discover(&self) -> Discovered {
        let (candidates, search_problems) = source::candidates(&self.env);
        let mut problems: Vec<Problem> =
            search_problems.into_iter().map(|p| Problem { path: p.path, message: p.message }).collect();

        let mut unique: Vec<Unique> = Vec::new();
        let mut by_path: HashMap<PathBuf, usize> = HashMap::new();
        let mut by_inode: HashMap<(u64, u64), usize> = HashMap::new();
        for candidate in candidates {
            let path = &candidate.path;
            if venv_root_of(path).is_some() {
                tracing::trace!("skipping {}: it belongs to a venv", path.display());
                continue;
            }
            let canonical = match std::fs::canonicalize(path) {
                Ok(c) => c,
                Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                    let target = std::fs::read_link(path).unwrap_or_default();
                    problems.push(Problem {
                        path: path.clone(),
                        message: format!("broken symlink to `{}`", target.display()),
                    });
                    continue;
                }
                Err(err) => {
                    problems.push(Problem { path: path.clone(), message: err.to_string() });
                    continue;
                }
            };
            if let Some(&i) = by_path.get(&canonical) {
                add_source(&mut unique[i], candidate.source);
                continue;
            }
            let identity = match FileIdentity::of(&canonical) {
                Ok(id) => id,
                Err(err) => {
                    problems.push(Problem { path: path.clone(), message: err.to_string() });
                    continue;
                }
            };
            if let Some(&i) = by_inode.get(&(identity.dev, identity.inode)) {
                by_path.insert(canonical, i);
                add_source(&mut unique[i], candidate.source);
                continue;
            }
            if !is_executable(&canonical) {
                problems.push(Problem { path: path.clone(), message: "not executable".into() });
                continue;
            }
            if is_script(&canonical) {
                tracing::debug!("skipping {}: a wrapper script, not an interpreter", path.display());
                continue;
            }
            let i = unique.len();
            by_path.insert(canonical.clone(), i);
            by_inode.insert((identity.dev, identity.inode), i);
            unique.push(Unique {
                canonical,
                identity,
                found_as: candidate.path,
                sources: vec![candidate.source],
            });
        }

        let answers = self.query_all(&unique);
        let mut interpreters = Vec::new();
        for (u, answer) in unique.into_iter().zip(answers) {
            match answer {
                Ok(info) => interpreters.push(Interpreter {
                    path: u.canonical,
                    sources: u.sources,
                    found_as: u.found_as,
                    info,
                }),
                Err(err) => problems.push(Problem { path: u.found_as, message: err.to_string() }),
            }
        }
        sort_interpreters(&mut interpreters);
        Discovered { interpreters, problems }
    }

    /// Answers for every unique interpreter: from the cache, else by running
    /// the uncached ones a few at a time.
    fn query_all(&self, unique: &[Unique]) -> Vec<Result<QueryInfo, QueryError>> {
        let results: Vec<Mutex<Option<Result<QueryInfo, QueryError>>>> =
            unique.iter().map(|u| Mutex::new(self.cache.get(&u.canonical, &u.identity).map(Ok))).collect();
        let pending: Vec<usize> =
            (0..unique.len()).filter(|&i| results[i].lock().is_ok_and(|r| r.is_none())).collect();
        if !pending.is_empty() {
            let workers =
                std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8).min(pending.len());
            let next = Mutex::new(pending.into_iter());
            std::thread::scope(|scope| {
                for _ in 0..workers {
                    scope.spawn(|| {
                        while let Some(i) = next.lock().ok().and_then(|mut it| it.next()) {
                            let u = &unique[i];
                            let answer = query::query(&u.canonical, self.timeout);
                            if let Ok(info) = &answer {
                                self.cache.put(&u.canonical, &u.identity, info);
                            }
                            if let Ok(mut slot) = results[i].lock() {
                                *slot = Some(answer);
                            }
                        }
                    });
                }
            });
        }
        results
            .into_iter()
            .map(|m| {
                m.into_inner().ok().flatten().unwrap_or_else(|| {
                    Err(QueryError::Failed {
                        path: PathBuf::new(),
                        status: "no answer".into(),
                        stderr: String::new(),
                    })
                })
            })
            .collect()
    }

    /// Query one interpreter file (through the cache), as named by the user.
    /// Wrapper scripts are run but their answer is not cached: the interpreter
    /// they start is, under its own path.
    pub fn inspect(&self, path: &Path, source: Source) -> Result<Interpreter, FindError> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(_) if std::fs::symlink_metadata(path).is_ok() => {
                return Err(FindError::DanglingLink {
                    path: path.to_path_buf(),
                    target: std::fs::read_link(path).unwrap_or_default(),
                });
            }
            Err(_) => return Err(FindError::Missing { path: path.to_path_buf() }),
        };
        if meta.is_dir() {
            return Err(FindError::NoInterpreterInDir { path: path.to_path_buf() });
        }
        let canonical =
            std::fs::canonicalize(path).map_err(|_| FindError::Missing { path: path.to_path_buf() })?;
        if !is_executable(&canonical) {
            return Err(FindError::NotExecutable { path: path.to_path_buf() });
        }
        let identity = FileIdentity::from_metadata(&meta);
        if is_script(&canonical) {
            let info = query::query(&canonical, self.timeout)
                .map_err(|source| FindError::NotPython { path: path.to_path_buf(), source })?;
            let real = std::fs::canonicalize(&info.executable).unwrap_or_else(|_| info.executable.clone());
            tracing::debug!("{} is a wrapper for {}", path.display(), real.display());
            return self.inspect(&real, source).map(|mut i| {
                i.found_as = path.to_path_buf();
                i
            });
        }
        let info = match self.cache.get(&canonical, &identity) {
            Some(info) => info,
            None => {
                let info = query::query(&canonical, self.timeout)
                    .map_err(|source| FindError::NotPython { path: path.to_path_buf(), source })?;
                self.cache.put(&canonical, &identity, &info);
                info
            }
        };
        Ok(Interpreter { path: canonical, sources: vec![source], found_as: path.to_path_buf(), info })
    }
}

fn add_source(u: &mut Unique, source: Source) {
    if !u.sources.contains(&source) {
        u.sources.push(source);
    }
}

/// Newest first, CPython first within a version, stable otherwise (source order).
pub fn sort_interpreters(interpreters: &mut [Interpreter]) {
    interpreters.sort_by(|a, b| {
        let key = |i: &Interpreter| (i.major(), i.minor(), i.micro());
        key(b)
            .cmp(&key(a))
            .then_with(|| b.version().cmp(&a.version()))
            .then_with(|| {
                (a.implementation() != Implementation::CPython)
                    .cmp(&(b.implementation() != Implementation::CPython))
            })
            .then_with(|| a.is_free_threaded().cmp(&b.is_free_threaded()))
    });
}

#[cfg(unix)]
pub(crate) fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
pub(crate) fn is_executable(path: &Path) -> bool {
    path.is_file()
}
