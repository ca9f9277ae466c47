//! What a script runs: its `#!` line, including `/usr/bin/env NAME` and the
//! `/bin/sh` + `'''exec'` form pip writes when the interpreter path is too
//! long or has spaces; and rewriting that interpreter.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The interpreter a script names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shebang {
    /// The interpreter as written (`/usr/bin/env` for env lines).
    pub interpreter: PathBuf,
    /// For `#!/usr/bin/env NAME`: the command looked up on PATH.
    pub env_command: Option<String>,
    /// Whether this is pip's `#!/bin/sh` + `'''exec' "python"` form.
    pub sh_exec: bool,
}

impl Shebang {
    /// Parse the first bytes of a file. `None` if it is not a script.
    pub fn parse(head: &[u8]) -> Option<Self> {
        let rest = head.strip_prefix(b"#!")?;
        let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = String::from_utf8_lossy(&rest[..line_end]);
        let line = line.trim_end_matches('\r').trim();
        let mut words = line.split_whitespace();
        let interpreter = words.next()?;
        if interpreter == "/bin/sh"
            && let Some(python) = sh_exec_target(&rest[line_end.min(rest.len())..])
        {
            return Some(Self { interpreter: PathBuf::from(python), env_command: None, sh_exec: true });
        }
        let env_command = if Path::new(interpreter).file_name().is_some_and(|n| n == "env") {
            words.find(|w| !w.starts_with('-') && !w.contains('=')).map(str::to_string)
        } else {
            None
        };
        Some(Self { interpreter: PathBuf::from(interpreter), env_command, sh_exec: false })
    }

    /// Read the shebang of the file at `path` (its first 4 KiB).
    pub fn read(path: &Path) -> Option<Self> {
        let mut head = Vec::with_capacity(4096);
        std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
        Self::parse(&head)
    }
}

/// The second line of pip's `#!/bin/sh` form: `'''exec' "/path/python" "$0" "$@"`.
fn sh_exec_target(after_first_line: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(after_first_line);
    let line = text.lines().find(|l| !l.trim().is_empty())?;
    let rest = line.trim().strip_prefix("'''exec'")?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// Replace the interpreter of a script whose shebang names `old` with `new`,
/// keeping the rest of the file. Returns the new contents, or `None` when
/// the script does not name `old`.
pub fn rewrite(contents: &[u8], new: &Path) -> Option<Vec<u8>> {
    let shebang = Shebang::parse(contents)?;
    if shebang.env_command.is_some() {
        return None;
    }
    let new = new.to_string_lossy();
    let line_end = contents.iter().position(|&b| b == b'\n')?;
    if shebang.sh_exec {
        let old = format!("\"{}\"", shebang.interpreter.to_string_lossy());
        let text = String::from_utf8_lossy(contents);
        let pos = text.find(&old)?;
        let mut out = Vec::with_capacity(contents.len());
        out.extend_from_slice(&contents[..pos]);
        out.extend_from_slice(format!("\"{new}\"").as_bytes());
        out.extend_from_slice(&contents[pos + old.len()..]);
        return Some(out);
    }
    if new.contains(' ') || new.len() > 120 {
        let mut out = format!("#!/bin/sh\n'''exec' \"{new}\" \"$0\" \"$@\"\n' '''\n").into_bytes();
        out.extend_from_slice(&contents[line_end + 1..]);
        return Some(out);
    }
    let first = String::from_utf8_lossy(&contents[2..line_end]).into_owned();
    let args = first.trim().split_once(char::is_whitespace).map(|(_, a)| a.trim().to_string());
    let mut out = format!("#!{new}").into_bytes();
    if let Some(args) = args.filter(|a| !a.is_empty()) {
        out.push(b' ');
        out.extend_from_slice(args.as_bytes());
    }
    out.extend_from_slice(&contents[line_end..]);
    Some(out)
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
        assert!(s.sh_exec);
        assert_eq!(s.interpreter, Path::new("/a b/bin/python"));
        assert_eq!(Shebang::parse(b"\x7fELF"), None);
        assert_eq!(Shebang::parse(b"#!"), None);
    }

    #[test]
    fn rewrites() {
        let out = rewrite(b"#!/old/bin/python -E\nimport x\n", Path::new("/new/bin/python")).unwrap();
        assert_eq!(out, b"#!/new/bin/python -E\nimport x\n");
        let out = rewrite(b"#!/old/bin/python\nx\n", Path::new("/n w/bin/python")).unwrap();
        assert!(out.starts_with(b"#!/bin/sh\n'''exec' \"/n w/bin/python\""));
        let sh = b"#!/bin/sh\n'''exec' \"/o d/bin/python\" \"$0\" \"$@\"\n' '''\nx\n";
        let out = rewrite(sh, Path::new("/new/bin/python")).unwrap();
        assert_eq!(out, b"#!/bin/sh\n'''exec' \"/new/bin/python\" \"$0\" \"$@\"\n' '''\nx\n");
    }
}
