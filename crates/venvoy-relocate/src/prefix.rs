//! The old and new locations of an env, and replacing one with the other in
//! bytes only where a whole path starts and ends: `/w/env` is found in
//! `"/w/env/bin"` and `/w/env\n`, never in `/w/env2` or `/x/w/env`.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The paths an env was known by (as given, and with symlinks resolved), and
/// the path it is known by now.
#[derive(Debug, Clone)]
pub struct Prefixes {
    /// Longest first, so `/a/b` wins over `/a` when both are old names.
    old: Vec<Vec<u8>>,
    new: PathBuf,
}

/// Bytes that can continue a file name: a match followed by one of these is
/// only the start of a longer name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"_-.+@~%".contains(&b) || b >= 0x80
}

impl Prefixes {
    /// `old` roots (duplicates and `/` are ignored) replaced by `new`.
    pub fn new(old: impl IntoIterator<Item = PathBuf>, new: &Path) -> Self {
        let mut old: Vec<Vec<u8>> = old
            .into_iter()
            .map(|p| p.as_os_str().as_bytes().to_vec())
            .map(|mut p| {
                while p.len() > 1 && p.ends_with(b"/") {
                    p.pop();
                }
                p
            })
            .filter(|p| p.len() > 1 && p.starts_with(b"/"))
            .collect();
        old.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        old.dedup();
        Self { old, new: new.to_path_buf() }
    }

    /// The env's new root.
    pub fn new_root(&self) -> &Path {
        &self.new
    }

    /// The old roots, longest first.
    pub fn old_roots(&self) -> impl Iterator<Item = &Path> {
        self.old.iter().map(|p| Path::new(std::ffi::OsStr::from_bytes(p)))
    }

    /// The old root `text` starts with as a whole path (followed by `/` or the end).
    fn old_root_of(&self, text: &[u8]) -> Option<usize> {
        self.old
            .iter()
            .find(|old| text.starts_with(old) && matches!(text.get(old.len()), None | Some(b'/')))
            .map(Vec::len)
    }

    /// `path` moved to the new root, if it is the old root or below it.
    pub fn map_path(&self, path: &Path) -> Option<PathBuf> {
        let bytes = path.as_os_str().as_bytes();
        let len = self.old_root_of(bytes)?;
        let mut out = self.new.as_os_str().as_bytes().to_vec();
        out.extend_from_slice(&bytes[len..]);
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(&out)))
    }

    /// Whether `text` mentions an old root anywhere.
    pub fn found_in(&self, text: &[u8]) -> bool {
        self.next_match(text, 0).is_some()
    }

    /// The first match at or after `from`: (start, length).
    fn next_match(&self, text: &[u8], from: usize) -> Option<(usize, usize)> {
        let mut i = from;
        while i < text.len() {
            let slash = text[i..].iter().position(|&b| b == b'/')? + i;
            let before_ok = slash == 0 || !(is_name_byte(text[slash - 1]) || text[slash - 1] == b'/');
            if before_ok {
                for old in &self.old {
                    if text[slash..].starts_with(old)
                        && text.get(slash + old.len()).is_none_or(|&b| !is_name_byte(b))
                    {
                        return Some((slash, old.len()));
                    }
                }
            }
            i = slash + 1;
        }
        None
    }

    /// `text` with every old root replaced by the new one; `None` when there is none.
    pub fn replace(&self, text: &[u8]) -> Option<Vec<u8>> {
        let (mut start, mut len) = self.next_match(text, 0)?;
        let new = self.new.as_os_str().as_bytes();
        let mut out = Vec::with_capacity(text.len() + new.len());
        let mut done = 0;
        loop {
            out.extend_from_slice(&text[done..start]);
            out.extend_from_slice(new);
            done = start + len;
            match self.next_match(text, done) {
                Some((s, l)) => (start, len) = (s, l),
                None => break,
            }
        }
        out.extend_from_slice(&text[done..]);
        Some(out)
    }
}

/// Every former place of the env at `root` its scripts in `scripts` name
/// (see [`venvoy_fs::venv::former_root`]), each once.
pub fn former_roots(root: &Path, scripts: &Path) -> Vec<PathBuf> {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let Ok(entries) = std::fs::read_dir(scripts) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| venvoy_dist::script_header::Shebang::read(&e.path()))
        .filter(|s| s.env_command.is_none() && !s.relative)
        .filter_map(|s| venvoy_fs::venv::former_root(&s.interpreter, root, &canonical_root))
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> Prefixes {
        Prefixes::new([PathBuf::from("/w/env"), PathBuf::from("/real/w/env/")], Path::new("/new place"))
    }

    #[test]
    fn replaces_whole_paths_only() {
        let p = p();
        assert_eq!(p.replace(b"/w/env/bin/python\n").unwrap(), b"/new place/bin/python\n");
        assert_eq!(p.replace(b"x '/w/env' y /real/w/env/lib").unwrap(), b"x '/new place' y /new place/lib");
        assert!(p.replace(b"/w/env2/bin").is_none());
        assert!(p.replace(b"/x/w/env/bin").is_none());
        assert!(p.replace(b"a/w/env").is_none());
        assert!(p.replace(b"nothing here").is_none());
        assert_eq!(p.replace(b"/w/env").unwrap(), b"/new place");
        assert!(p.found_in(b"PATH=/w/env/bin:/usr/bin"));
    }

    #[test]
    fn maps_paths() {
        let p = p();
        assert_eq!(p.map_path(Path::new("/w/env/bin/x")), Some(PathBuf::from("/new place/bin/x")));
        assert_eq!(p.map_path(Path::new("/w/env")), Some(PathBuf::from("/new place")));
        assert_eq!(p.map_path(Path::new("/w/envy")), None);
        assert_eq!(p.old_roots().count(), 2);
    }
}
