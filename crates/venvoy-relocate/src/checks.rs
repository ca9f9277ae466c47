//! The refusals: the source must be a venv, the destination must not exist
//! and must not be inside the source.

use std::path::{Path, PathBuf};

use crate::error::RelocateError;
use crate::record::normalize;

/// The source's canonical path, once it is known to be a venv.
pub fn source(source: &Path) -> Result<PathBuf, RelocateError> {
    if !venvoy_fs::is_venv(source) {
        return Err(RelocateError::NotAVenv { path: source.to_path_buf() });
    }
    std::fs::canonicalize(source).map_err(RelocateError::io("read", source))
}

/// `dest` made absolute and clean, once it is known to be free and outside
/// the source (compared with symlinks resolved, so no alias slips through).
pub fn dest(source: &Path, source_canonical: &Path, dest: &Path) -> Result<PathBuf, RelocateError> {
    let dest = normalize(&std::path::absolute(dest).map_err(RelocateError::io("read", dest))?);
    let inside = |d: &Path| d.starts_with(source) || d.starts_with(source_canonical);
    if inside(&dest) || inside(&canonical_prefix(&dest)) {
        if dest == source || canonical_prefix(&dest) == source_canonical {
            return Err(RelocateError::DestExists { path: dest });
        }
        return Err(RelocateError::DestInsideSource { dest, source_env: source.to_path_buf() });
    }
    if std::fs::symlink_metadata(&dest).is_ok() {
        return Err(RelocateError::DestExists { path: dest });
    }
    Ok(dest)
}

/// `path` with its longest existing ancestor canonicalized.
fn canonical_prefix(path: &Path) -> PathBuf {
    for ancestor in path.ancestors() {
        if let Ok(real) = std::fs::canonicalize(ancestor) {
            let rest = path.strip_prefix(ancestor).unwrap_or(Path::new(""));
            return if rest.as_os_str().is_empty() { real } else { real.join(rest) };
        }
    }
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals() {
        let dir = tempfile::tempdir().unwrap();
        let env = dir.path().join("env");
        std::fs::create_dir_all(env.join("bin")).unwrap();
        assert!(matches!(source(&env), Err(RelocateError::NotAVenv { .. })));
        std::fs::write(env.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        assert!(matches!(source(&env), Err(RelocateError::NotAVenv { .. })), "no python, no lib");
        std::fs::create_dir(env.join("lib")).unwrap();
        std::os::unix::fs::symlink("/usr/bin/python3", env.join("bin/python")).unwrap();
        let canonical = source(&env).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&env, &link).unwrap();
        assert!(matches!(
            dest(&env, &canonical, &env.join("sub")),
            Err(RelocateError::DestInsideSource { .. })
        ));
        assert!(matches!(
            dest(&env, &canonical, &link.join("sub")),
            Err(RelocateError::DestInsideSource { .. })
        ));
        assert!(matches!(dest(&env, &canonical, &env), Err(RelocateError::DestExists { .. })));
        assert!(matches!(dest(&env, &canonical, &link), Err(RelocateError::DestExists { .. })));
        assert!(matches!(dest(&env, &canonical, dir.path()), Err(RelocateError::DestExists { .. })));
        let ok = dest(&env, &canonical, &dir.path().join("a/../copy")).unwrap();
        assert_eq!(ok, dir.path().join("copy"));
        assert!(dest(&env, &canonical, &dir.path().join("envy")).is_ok());
    }
}
