//! `.python-version` files, in pyenv's format: one version name per line
//! (several lines or space-separated names are tried in order), `#` comments.
//!
//! The file comes from the directory tree, so it is data: each entry is a
//! version, a request like `pypy3.10`, or the name of a pyenv install, never
//! a path. An entry with `/`, a `..`/`.` name, or an absolute path is refused
//! (pyenv's CVE-2022-35861 was a version file naming `../../something`), and
//! the file is read only if it is a small regular file.

use std::path::{Path, PathBuf};

use crate::error::FindError;

/// The nearest `.python-version` at or above `dir`, and the names it lists;
/// an error when it cannot be read or lists something that is not a name.
pub fn find_version_file(dir: &Path) -> Option<Result<(PathBuf, Vec<String>), FindError>> {
    for d in dir.ancestors() {
        let file = d.join(".python-version");
        match venvoy_fs::read::read_capped(&file, venvoy_fs::read::SMALL) {
            Ok(bytes) => return Some(read(&file, &bytes).map(|names| (file, names))),
            Err(err) if err.is_not_found() => continue,
            Err(err) => return Some(Err(FindError::UnreadableVersionFile(err))),
        }
    }
    None
}

/// The names in the version file `file` holding `bytes`, refusing any entry
/// that is not a plain name.
pub fn read(file: &Path, bytes: &[u8]) -> Result<Vec<String>, FindError> {
    let names = parse(bytes);
    match names.iter().find(|n| !is_plain_name(n)) {
        Some(bad) => Err(FindError::BadVersionFile { file: file.to_path_buf(), name: bad.clone() }),
        None => Ok(names),
    }
}

/// Whether `name` can only mean a version or a name in pyenv's `versions`
/// directory: no `/` or `\\`, not `.` or `..`, not starting with `~`, no NUL.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['/', '\\', '\0'])
        && name != "."
        && name != ".."
        && !name.starts_with('~')
}

/// The names in a `.python-version` file, in order.
pub fn parse(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn parses_pyenv_format() {
        assert_eq!(
            super::parse(b"3.12.1\n# comment\n  pypy3.10 system # trailing\n\n"),
            ["3.12.1", "pypy3.10", "system"]
        );
    }

    #[test]
    fn refuses_paths() {
        let file = Path::new("/p/.python-version");
        assert_eq!(super::read(file, b"3.12 pypy3.10 system 3.12t >=3.10\n").unwrap().len(), 5);
        for bad in ["../../../x/evil", "/usr/bin", "..", ".", "3.12/envs/x", "~/py", "a\\b"] {
            let err = super::read(file, format!("3.12\n{bad}\n").as_bytes()).unwrap_err();
            assert!(err.to_string().contains(bad), "{bad}: {err}");
        }
    }
}
