//! What a script runs, read with `venvoy_relocate::shebang` (every header
//! form pip, distlib, uv and venvoy write), plus `#!/usr/bin/env NAME`; and
//! pointing a script at another interpreter.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use venvoy_relocate::shebang::{self as header, Interpreter};

/// The interpreter a script names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shebang {
    /// The interpreter as written (`/usr/bin/env` for env lines); empty for
    /// the relocatable form.
    pub interpreter: PathBuf,
    /// For `#!/usr/bin/env NAME`: the command looked up on PATH.
    pub env_command: Option<String>,
    /// The relocatable form: the interpreter next to the script's real place.
    pub relative: bool,
}

impl Shebang {
    /// Parse the first bytes of a file. `None` if it is not a script.
    pub fn parse(head: &[u8]) -> Option<Self> {
        let parsed = header::parse(head)?;
        let path = match &parsed.interpreter {
            Interpreter::Relative => {
                return Some(Self { interpreter: PathBuf::new(), env_command: None, relative: true });
            }
            Interpreter::Path(path) => path_from_bytes(path),
        };
        let env_command = if path.file_name().is_some_and(|n| n == "env") {
            String::from_utf8_lossy(parsed.args)
                .split_whitespace()
                .find(|w| !w.starts_with('-') && !w.contains('='))
                .map(str::to_string)
        } else {
            None
        };
        Some(Self { interpreter: path, env_command, relative: false })
    }

    /// Read the shebang of the file at `path` (its first 4 KiB).
    pub fn read(path: &Path) -> Option<Self> {
        let mut head = Vec::with_capacity(4096);
        std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
        Self::parse(&head)
    }
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// The script with its interpreter replaced by `new` (arguments and body
/// kept, the header form chosen as the wheel installer does). `None` when
/// the script has no literal interpreter (no shebang, `env`, relocatable).
pub fn rewrite(contents: &[u8], new: &Path) -> Option<Vec<u8>> {
    let parsed = header::parse(contents)?;
    let Interpreter::Path(old) = &parsed.interpreter else { return None };
    if path_from_bytes(old).file_name().is_some_and(|n| n == "env") {
        return None;
    }
    let new = new.as_os_str().as_encoded_bytes();
    Some(header::assemble(&header::render_path(new, parsed.args), parsed.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let s = Shebang::parse(b"#!/env/bin/python\nimport x\n").unwrap();
        assert_eq!(s.interpreter, Path::new("/env/bin/python"));
        let s = Shebang::parse(b"#!/usr/bin/env -S python3 -u\n").unwrap();
        assert_eq!(s.env_command.as_deref(), Some("python3"));
        let s = Shebang::parse(b"#!/bin/sh\n'''exec' \"/a b/bin/python\" \"$0\" \"$@\"\n' '''\n").unwrap();
        assert_eq!(s.interpreter, Path::new("/a b/bin/python"));
        let s = Shebang::parse(b"#!/bin/sh\n'''exec' '/a b/bin/python' \"$0\" \"$@\"\n' '''\n").unwrap();
        assert_eq!(s.interpreter, Path::new("/a b/bin/python"));
        assert_eq!(Shebang::parse(b"\x7fELF"), None);
        assert_eq!(Shebang::parse(b"#!"), None);
    }

    #[test]
    fn rewrites() {
        let out = rewrite(b"#!/old/bin/python -E\nimport x\n", Path::new("/new/bin/python")).unwrap();
        assert_eq!(out, b"#!/new/bin/python -E\nimport x\n");
        let out = rewrite(b"#!/old/bin/python\nx\n", Path::new("/n w/bin/python")).unwrap();
        assert!(out.starts_with(b"#!/bin/sh\n'''exec' "), "{}", String::from_utf8_lossy(&out));
        assert_eq!(Shebang::parse(&out).unwrap().interpreter, Path::new("/n w/bin/python"));
        let sh = b"#!/bin/sh\n'''exec' \"/o d/bin/python\" \"$0\" \"$@\"\n' '''\nx\n";
        let out = rewrite(sh, Path::new("/new/bin/python")).unwrap();
        assert_eq!(out, b"#!/new/bin/python\nx\n");
        assert_eq!(rewrite(b"#!/usr/bin/env python3\nx\n", Path::new("/new/bin/python")), None);
    }
}
