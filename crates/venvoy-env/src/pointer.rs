//! `.venv` files (PEP 832, "Virtual environment discovery"): a file named
//! `.venv` in a project's root whose first line is the path of the project's
//! env, absolute or relative to the file's directory.
//!
//! Reading follows the PEP: the file is UTF-8; everything up to the first
//! newline (`\n`, or `\r\n`) is the path, taken as written (no trimming);
//! an empty first line names nothing; the path must lead to an existing
//! directory before it is used. Two additions, for files people already
//! have: a leading `~` or `~/` is the home directory, and a bare word that
//! is no existing relative path is a name in the env home (pipenv's older
//! convention, with `$WORKON_HOME`). venvoy writes only absolute paths, so
//! every PEP 832 reader (and `pipenv --venv`) finds the same env.

use std::io;
use std::path::{Path, PathBuf};

use venvoy_fs::read::{SMALL, read_capped};

use crate::error::EnvError;

/// What a `.venv` file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pointer {
    /// A path, made absolute (relative ones against the file's directory,
    /// `~` expanded) and normalised.
    Path(PathBuf),
    /// A bare word that is no existing relative path: a name in the env home.
    Name(String),
}

impl Pointer {
    /// The env directory this pointer designates.
    pub fn target(&self, env_home: &Path) -> PathBuf {
        match self {
            Self::Path(p) => p.clone(),
            Self::Name(n) => env_home.join(n),
        }
    }
}

/// The path line of a `.venv` file: up to the first newline, a trailing `\r`
/// dropped. `None` when it is not UTF-8, empty, or holds control characters.
pub fn first_line(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    let line = text.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    (!line.is_empty() && !line.chars().any(char::is_control)).then_some(line)
}

/// Parse a `.venv` file's bytes; `dir` is the directory holding the file,
/// `home` the user's home directory (for `~`).
pub fn parse(bytes: &[u8], dir: &Path, home: Option<&Path>) -> Option<Pointer> {
    let line = first_line(bytes)?;
    let is_word = !line.contains('/') && line != "." && line != ".." && !line.starts_with('~');
    let path = venvoy_fs::path::absolute(Path::new(line), dir, home);
    if is_word && std::fs::symlink_metadata(&path).is_err() && crate::name::is_valid(line) {
        return Some(Pointer::Name(line.to_string()));
    }
    Some(Pointer::Path(path))
}

/// Read the `.venv` file `file` (a regular file of at most 64 KiB; never a
/// FIFO or a device).
pub fn read(file: &Path, home: Option<&Path>) -> Result<Pointer, EnvError> {
    let bytes = read_capped(file, SMALL)?;
    let dir = file.parent().unwrap_or(Path::new("/"));
    parse(&bytes, dir, home).ok_or_else(|| EnvError::BadPointer { file: file.to_path_buf() })
}

/// The env directory `file` designates, if it is a readable `.venv` file.
pub fn target_of(file: &Path, home: Option<&Path>, env_home: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(file).ok()?;
    if meta.is_dir() {
        return None;
    }
    read(file, home).ok().map(|p| p.target(env_home))
}

/// The text venvoy writes for the env at `env` (an absolute path): the path
/// and one `\n`. `None` when PEP 832 cannot carry it (not UTF-8, or a newline in it).
pub fn render(env: &Path) -> Option<String> {
    let text = env.to_str()?;
    (env.is_absolute() && !text.contains(['\n', '\r'])).then(|| format!("{text}\n"))
}

/// Write (or replace) the `.venv` file `file` naming the env at `env`,
/// atomically. Refuses to replace a directory.
pub fn write(file: &Path, env: &Path) -> io::Result<()> {
    let text = render(env).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "`{}` cannot be written in a `.venv` file (it must be UTF-8, without newlines)",
                env.display()
            ),
        )
    })?;
    if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_dir()) {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("`{}` is a directory", file.display()),
        ));
    }
    venvoy_fs::write_atomic(file, text.as_bytes())
}

/// Whether the name is one venvoy accepts for an env in the home (see [`crate::name`]).
pub fn is_valid_name(name: &str) -> bool {
    crate::name::is_valid(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_as_pep_832_says() {
        assert_eq!(first_line(b"/e/web\n"), Some("/e/web"));
        assert_eq!(first_line(b"/e/web\r\n"), Some("/e/web"));
        assert_eq!(first_line(b"/e/web"), Some("/e/web"));
        assert_eq!(first_line(b"/e/web\nignored\n"), Some("/e/web"));
        assert_eq!(first_line(b" spaced path "), Some(" spaced path "));
        assert_eq!(first_line(b""), None);
        assert_eq!(first_line(b"\n/e/web\n"), None);
        assert_eq!(first_line(b"\xff\xfe"), None);
        assert_eq!(first_line(b"a\tb"), None);
    }

    #[test]
    fn pointer_forms() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let home = Path::new("/home/u");
        let p = |b: &[u8]| parse(b, dir, Some(home));
        assert_eq!(p(b"web\n"), Some(Pointer::Name("web".into())));
        assert_eq!(p(b"../envs/web\n"), Some(Pointer::Path(dir.parent().unwrap().join("envs/web"))));
        assert_eq!(p(b"/abs/env"), Some(Pointer::Path("/abs/env".into())));
        assert_eq!(p(b"~/envs/x\n"), Some(Pointer::Path("/home/u/envs/x".into())));
        assert_eq!(p(b"."), Some(Pointer::Path(dir.to_path_buf())));
        // A bare word that is a relative path that exists: the path, as PEP 832 reads it.
        std::fs::create_dir(dir.join("env")).unwrap();
        assert_eq!(p(b"env\n"), Some(Pointer::Path(dir.join("env"))));
        // Not a name, not a path that exists: still a path (it will not resolve).
        assert_eq!(p(b"two words"), Some(Pointer::Path(dir.join("two words"))));
        assert_eq!(p(b""), None);
        assert_eq!(p(b"\xff\xfe"), None);
    }

    #[test]
    fn writes_absolute_paths_only() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(".venv");
        write(&file, Path::new("/envs/api-1234")).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "/envs/api-1234\n");
        assert!(write(&file, Path::new("rel")).is_err());
        assert!(write(&file, Path::new("/a\nb")).is_err());
        std::fs::remove_file(&file).unwrap();
        std::fs::create_dir(&file).unwrap();
        assert!(write(&file, Path::new("/envs/x")).is_err());
    }
}
