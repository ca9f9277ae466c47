//! `.python-version` files, in pyenv's format: one version name per line
//! (several lines or space-separated names are tried in order), `#` comments.

use std::path::{Path, PathBuf};

/// The nearest `.python-version` at or above `dir`, and the names it lists.
pub fn find_version_file(dir: &Path) -> Option<(PathBuf, Vec<String>)> {
    for d in dir.ancestors() {
        let file = d.join(".python-version");
        if let Ok(bytes) = std::fs::read(&file) {
            return Some((file, parse(&bytes)));
        }
    }
    None
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
    #[test]
    fn parses_pyenv_format() {
        assert_eq!(
            super::parse(b"3.12.1\n# comment\n  pypy3.10 system # trailing\n\n"),
            ["3.12.1", "pypy3.10", "system"]
        );
    }
}
