//! Paths as the user wrote them: lexical normalisation and `~` expansion.

use std::path::{Component, Path, PathBuf};

/// `path` with `.` dropped and `..` applied lexically (no file-system access,
/// symlinks not resolved).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// `~` or `~/…` expanded with `home`; anything else (including `~user`)
/// returned unchanged.
pub fn expand_tilde(path: &Path, home: Option<&Path>) -> PathBuf {
    let Some(home) = home else { return path.to_path_buf() };
    let mut components = path.components();
    match components.next() {
        Some(Component::Normal(first)) if first == "~" => home.join(components.as_path()),
        _ => path.to_path_buf(),
    }
}

/// `path` made absolute against `cwd` (after `~` expansion) and normalised.
pub fn absolute(path: &Path, cwd: &Path, home: Option<&Path>) -> PathBuf {
    let expanded = expand_tilde(path, home);
    normalize(&cwd.join(expanded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("/..")), Path::new("/"));
    }

    #[test]
    fn tilde_expands_only_alone_or_with_a_slash() {
        let home = Path::new("/home/u");
        assert_eq!(expand_tilde(Path::new("~"), Some(home)), home);
        assert_eq!(expand_tilde(Path::new("~/envs/x"), Some(home)), Path::new("/home/u/envs/x"));
        assert_eq!(expand_tilde(Path::new("~bob/x"), Some(home)), Path::new("~bob/x"));
        assert_eq!(expand_tilde(Path::new("a/~"), Some(home)), Path::new("a/~"));
        assert_eq!(absolute(Path::new("~/x/../y"), Path::new("/w"), Some(home)), Path::new("/home/u/y"));
        assert_eq!(absolute(Path::new("y"), Path::new("/w"), None), Path::new("/w/y"));
    }
}
