//! `.venv` pointer files: a file named `.venv` holding an env name or a path
//! (the convention pipenv and others use), instead of a `.venv` directory.

use std::path::{Path, PathBuf};

/// What a pointer file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pointer {
    /// A name in the env home.
    Name(String),
    /// A path, absolute or relative to the directory holding the file.
    Path(PathBuf),
}

/// Parse a pointer file: the first non-empty line, trimmed. `None` when the
/// file has nothing usable (empty, binary, a name with odd characters).
pub fn parse(bytes: &[u8], dir: &Path) -> Option<Pointer> {
    let text = std::str::from_utf8(bytes).ok()?;
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    if line.contains('\0') || line.chars().any(char::is_control) {
        return None;
    }
    if line.contains('/') || line == "." || line == ".." || line.starts_with('~') {
        let path = PathBuf::from(line);
        return Some(Pointer::Path(if path.is_absolute() { path } else { dir.join(path) }));
    }
    is_valid_name(line).then(|| Pointer::Name(line.to_string()))
}

/// A name venvoy accepts for an env in the home: one path component, no
/// leading dot or dash, no whitespace.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with(['.', '-'])
        && name.chars().all(|c| c.is_alphanumeric() || "-_.+@".contains(c))
}

/// The text venvoy writes into a pointer file.
pub fn render(pointer: &Pointer) -> String {
    match pointer {
        Pointer::Name(n) => format!("{n}\n"),
        Pointer::Path(p) => format!("{}\n", p.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_forms() {
        let dir = Path::new("/proj");
        assert_eq!(parse(b"web\n", dir), Some(Pointer::Name("web".into())));
        assert_eq!(parse(b"\n  ../envs/web  \n", dir), Some(Pointer::Path("/proj/../envs/web".into())));
        assert_eq!(parse(b"/abs/env", dir), Some(Pointer::Path("/abs/env".into())));
        assert_eq!(parse(b"", dir), None);
        assert_eq!(parse(b"\xff\xfe", dir), None);
        assert_eq!(parse(b"two words", dir), None);
        assert_eq!(parse(b"$(rm -rf)", dir), None);
    }
}
