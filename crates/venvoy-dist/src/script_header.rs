//! Script headers (shebangs), read and written in one place: the forms pip,
//! distlib, uv and venvoy write for console scripts, what a script runs
//! ([`Shebang`], with `#!/usr/bin/env NAME`), and writing a header again for
//! a new interpreter path or in the relocatable form.
//!
//! ```text
//! #!/env/bin/python [args]                 short path without whitespace
//!
//! #!/bin/sh                                long path or whitespace: sh runs the
//! '''exec' '/my env/bin/python' "$0" "$@"  second line, Python reads the first
//! ' '''                                    three lines as a string literal
//!
//! #!/bin/sh                                relocatable: the interpreter next
//! '''exec' "$(dirname -- "$(realpath -- "$0")")"/'python' "$0" "$@"
//! ' '''                                    to the script's real location
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use venvoy_shell::quote::posix_bytes as sh_quote;

/// The longest shebang line (with `#!` and the newline) the Linux kernel
/// accepts unmodified; longer interpreter paths use the `/bin/sh` form.
pub const MAX_SHEBANG: usize = 127;

/// Where a script's header says its interpreter is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interpreter {
    /// An absolute (or at least literal) path.
    Path(Vec<u8>),
    /// Found next to the script (the relocatable form).
    Relative,
}

/// A parsed script header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    pub interpreter: Interpreter,
    /// Interpreter arguments, with their leading space (` -E`), or empty.
    pub args: &'a [u8],
    /// Everything after the header's last line break.
    pub body: &'a [u8],
}

const EXEC: &[u8] = b"'''exec' ";
const TAIL: &[u8] = b" \"$0\" \"$@\"";
const CLOSE: &[u8] = b"' '''";
const RELATIVE_DIR: &[u8] = b"\"$(dirname -- \"$(realpath -- \"$0\")\")\"/";
/// Around an interpreter path that is not UTF-8, written as `printf` escapes.
const PRINTF_OPEN: &[u8] = b"\"$(printf ";
const PRINTF_CLOSE: &[u8] = b")\"";

/// Split off the first line (without its `\n` and a trailing `\r`).
fn line(text: &[u8]) -> (&[u8], &[u8]) {
    let (line, rest) = match text.iter().position(|&b| b == b'\n') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, &[][..]),
    };
    (line.strip_suffix(b"\r").unwrap_or(line), rest)
}

/// Read a script's header; `None` when it has no shebang of a known form.
pub fn parse(content: &[u8]) -> Option<Header<'_>> {
    let (first, rest) = line(content);
    let first = first.strip_prefix(b"#!")?;
    // As the kernel reads it: blanks (space, tab) before the interpreter and
    // between it and the arguments; any other byte, `\r` included, is part
    // of the interpreter's name.
    let first = trim_blanks(first);
    let end = first.iter().position(|b| is_blank(*b)).unwrap_or(first.len());
    let (path, args) = first.split_at(end);
    if path.is_empty() {
        return None;
    }
    if path == b"/bin/sh"
        && args.iter().all(u8::is_ascii_whitespace)
        && let Some(header) = parse_sh_form(rest)
    {
        return Some(header);
    }
    Some(Header { interpreter: Interpreter::Path(path.to_vec()), args: trim_end(args), body: rest })
}

/// The three-line `/bin/sh` form, from its second line on.
fn parse_sh_form(text: &[u8]) -> Option<Header<'_>> {
    let (second, rest) = line(text);
    let (third, body) = line(rest);
    if trim_end(third) != CLOSE {
        return None;
    }
    let word = second.strip_prefix(EXEC)?;
    let (interpreter, after) = if let Some(after) = word.strip_prefix(RELATIVE_DIR) {
        let (_, after) = sh_word(after)?;
        (Interpreter::Relative, after)
    } else if let Some(after) = word.strip_prefix(PRINTF_OPEN) {
        let (format, after) = single_quoted(after)?;
        (Interpreter::Path(printf_unescape(&format)?), after.strip_prefix(PRINTF_CLOSE)?)
    } else {
        let (path, after) = sh_word(word)?;
        (Interpreter::Path(path), after)
    };
    let args = trim_end(after).strip_suffix(TAIL)?;
    Some(Header { interpreter, args, body })
}

/// A word of `'single quoted'` parts joined by `\'`; its value and the rest.
fn single_quoted(text: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        match text.get(i) {
            Some(b'\'') => {
                let end = text[i + 1..].iter().position(|&b| b == b'\'')? + i + 1;
                out.extend_from_slice(&text[i + 1..end]);
                i = end + 1;
            }
            Some(b'\\') if text.get(i + 1) == Some(&b'\'') => {
                out.push(b'\'');
                i += 2;
            }
            _ if i == 0 => return None,
            _ => return Some((out, &text[i..])),
        }
    }
}

/// A `printf` format whose every byte outside printable ASCII (and space,
/// `%`, `\\`) is an octal escape: the text is ASCII, so a path that is not
/// UTF-8 can sit on the line of the `/bin/sh` form Python reads as code.
fn printf_escape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        match b {
            b'%' => out.extend_from_slice(b"%%"),
            b'!'..=b'~' if b != b'\\' => out.push(b),
            _ => out.extend_from_slice(format!("\\{b:03o}").as_bytes()),
        }
    }
    out
}

/// The bytes a format made by [`printf_escape`] prints; `None` for any
/// other escape.
fn printf_unescape(format: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(format.len());
    let mut i = 0;
    while i < format.len() {
        match format[i] {
            b'%' if format.get(i + 1) == Some(&b'%') => {
                out.push(b'%');
                i += 2;
            }
            b'\\' => {
                let digits = std::str::from_utf8(format.get(i + 1..i + 4)?).ok()?;
                out.push(u8::from_str_radix(digits, 8).ok()?);
                i += 4;
            }
            b'%' => return None,
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// One POSIX shell word made of bare, `'single'` and `"double"` quoted
/// parts; returns its value and the text after it. `None` for anything
/// this cannot evaluate (`$`, backquotes, unterminated quotes).
fn sh_word(text: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b' ' | b'\t' => break,
            b'\'' => {
                let end = text[i + 1..].iter().position(|&b| b == b'\'')? + i + 1;
                out.extend_from_slice(&text[i + 1..end]);
                i = end + 1;
            }
            b'"' => {
                i += 1;
                loop {
                    match *text.get(i)? {
                        b'"' => break,
                        b'\\' if matches!(text.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) => {
                            out.push(text[i + 1]);
                            i += 2;
                        }
                        b'$' | b'`' => return None,
                        b => {
                            out.push(b);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            b'\\' => {
                out.push(*text.get(i + 1)?);
                i += 2;
            }
            b'$' | b'`' => return None,
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some((out, &text[i..]))
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn trim_blanks(s: &[u8]) -> &[u8] {
    let i = s.iter().position(|b| !is_blank(*b)).unwrap_or(s.len());
    &s[i..]
}

fn trim_end(s: &[u8]) -> &[u8] {
    let i = s.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &s[..i]
}

/// Whether `python` with `args` fits the plain `#!` form (short, no blanks).
fn fits_plain(python: &[u8], args: &[u8]) -> bool {
    !python.iter().any(u8::is_ascii_whitespace) && python.len() + args.len() + 3 <= MAX_SHEBANG
}

/// The header (no trailing newline) that runs `python` with `args` for a
/// script the installer writes: `#!/path/to/python` for a short path
/// without whitespace, else the `/bin/sh` form pip, distlib and `installer`
/// write:
///
/// ```text
/// #!/bin/sh
/// '''exec' '/path with spaces/bin/python' "$0" "$@"
/// ' '''
/// ```
///
/// A path that is not UTF-8 takes the `/bin/sh` form with the path as
/// `printf` octal escapes: Python reads a script's first lines as UTF-8
/// text, even the `#!` line, so its raw bytes could be on no line.
pub fn render_path(python: &[u8], args: &[u8]) -> Vec<u8> {
    if std::str::from_utf8(python).is_err() {
        let format = sh_quote(&printf_escape(python));
        return [b"#!/bin/sh\n", EXEC, PRINTF_OPEN, &format, PRINTF_CLOSE, args, TAIL, b"\n", CLOSE].concat();
    }
    if fits_plain(python, args) {
        return [b"#!", python, args].concat();
    }
    [b"#!/bin/sh\n", EXEC, &sh_quote(python), args, TAIL, b"\n", CLOSE].concat()
}

/// The relocatable header: the interpreter `name` in the directory the
/// script really lives in (symlinks to the script resolved).
pub fn render_relative(name: &[u8], args: &[u8]) -> Vec<u8> {
    [b"#!/bin/sh\n", EXEC, RELATIVE_DIR, &sh_quote(name), args, TAIL, b"\n", CLOSE].concat()
}

/// A whole script: header, line break, body.
pub fn assemble(header: &[u8], body: &[u8]) -> Vec<u8> {
    [header, b"\n", body].concat()
}

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
        let parsed = parse(head)?;
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

    /// Read the shebang of the regular file at `path` (its first 4 KiB).
    pub fn read(path: &Path) -> Option<Self> {
        let mut head = Vec::with_capacity(4096);
        venvoy_fs::read::open_regular(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
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
    let parsed = parse(contents)?;
    let Interpreter::Path(old) = &parsed.interpreter else { return None };
    if path_from_bytes(old).file_name().is_some_and(|n| n == "env") {
        return None;
    }
    let new = new.as_os_str().as_encoded_bytes();
    Some(assemble(&render_path(new, parsed.args), parsed.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header for a UTF-8 path, without arguments.
    fn shebang(python: &str) -> String {
        String::from_utf8(render_path(python.as_bytes(), b"")).unwrap()
    }

    fn path(h: &Header<'_>) -> Vec<u8> {
        match &h.interpreter {
            Interpreter::Path(p) => p.clone(),
            Interpreter::Relative => panic!("relative"),
        }
    }

    /// Found by the `script_header` fuzz target: a bare `\r` inside the
    /// `#!` line split the interpreter where `sh_word` does not, so a header
    /// written in the `/bin/sh` form read back a different interpreter.
    #[test]
    fn a_carriage_return_inside_the_line_belongs_to_the_word() {
        let long = "x".repeat(MAX_SHEBANG);
        for line in [
            "#!/usr/bin/py\rthon -E\nbody\n".to_string(),
            format!("#!/usr/bin/python \r-E {long}\nbody\n"),
            format!("#! \t/p\ry {long}\r\nbody\n"),
        ] {
            let header = parse(line.as_bytes()).unwrap();
            let python = path(&header);
            let script = assemble(&render_path(&python, header.args), header.body);
            let again = parse(&script).unwrap_or_else(|| panic!("{line:?} -> {script:?}"));
            assert_eq!(path(&again), python, "{line:?} -> {:?}", String::from_utf8_lossy(&script));
            assert_eq!(again.body, header.body);
        }
        let header = parse(b"#!/usr/bin/py\rthon -E\n").unwrap();
        assert_eq!(path(&header), b"/usr/bin/py\rthon", "the kernel splits on blanks only");
        assert_eq!(header.args, b" -E");
    }

    #[test]
    fn simple_form() {
        let h = parse(b"#!/e/bin/python\nimport x\n").unwrap();
        assert_eq!(path(&h), b"/e/bin/python");
        assert_eq!(h.args, b"");
        assert_eq!(h.body, b"import x\n");
        let h = parse(b"#! /e/bin/python3 -E \r\nx").unwrap();
        assert_eq!(path(&h), b"/e/bin/python3");
        assert_eq!(h.args, b" -E");
        assert!(parse(b"import x\n").is_none());
    }

    #[test]
    fn sh_forms_from_every_writer() {
        // venvoy's script writer.
        let venvoy = shebang("/my env/it's/bin/python");
        let text = format!("{venvoy}\nbody\n");
        let h = parse(text.as_bytes()).unwrap();
        assert_eq!(path(&h), b"/my env/it's/bin/python");
        assert_eq!(h.body, b"body\n");
        // pip (distlib) quotes with double quotes.
        let h = parse(b"#!/bin/sh\n'''exec' \"/my env/bin/python\" \"$0\" \"$@\"\n' '''\nbody").unwrap();
        assert_eq!(path(&h), b"/my env/bin/python");
        assert_eq!(h.body, b"body");
        // distlib without quotes for a long path.
        let h = parse(b"#!/bin/sh\n'''exec' /long/bin/python \"$0\" \"$@\"\n' '''\n").unwrap();
        assert_eq!(path(&h), b"/long/bin/python");
        // uv's relocatable form.
        let h = parse(b"#!/bin/sh\n'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")\"/'python3' \"$0\" \"$@\"\n' '''\nb")
            .unwrap();
        assert_eq!(h.interpreter, Interpreter::Relative);
        // A plain sh script is a `/bin/sh` script, nothing more.
        let h = parse(b"#!/bin/sh\necho hi\n").unwrap();
        assert_eq!(path(&h), b"/bin/sh");
        assert_eq!(h.body, b"echo hi\n");
    }

    #[test]
    fn render_round_trips() {
        for (python, args) in [
            (&b"/e/bin/python"[..], &b""[..]),
            (b"/e/bin/python", b" -E"),
            (b"/my env/bin/python", b""),
            (b"/my env/bin/python", b" -E"),
            (b"/it's/bin/python", b""),
        ] {
            let script = assemble(&render_path(python, args), b"body\n");
            let h = parse(&script).unwrap();
            assert_eq!(path(&h), python);
            assert_eq!(h.args, args);
            assert_eq!(h.body, b"body\n");
        }
        let long = format!("/{}/bin/python", "x".repeat(130));
        assert!(render_path(long.as_bytes(), b"").starts_with(b"#!/bin/sh\n"));
        let rel = assemble(&render_relative(b"python3.12", b""), b"body");
        let h = parse(&rel).unwrap();
        assert_eq!(h.interpreter, Interpreter::Relative);
        assert_eq!(h.body, b"body");
    }
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

    #[test]
    fn short_and_long_shebangs() {
        assert_eq!(shebang("/e/bin/python"), "#!/e/bin/python");
        let spaced = shebang("/my env/bin/python");
        assert_eq!(spaced, "#!/bin/sh\n'''exec' '/my env/bin/python' \"$0\" \"$@\"\n' '''");
        let long = format!("/{}/bin/python", "x".repeat(120));
        assert!(shebang(&long).starts_with("#!/bin/sh\n"));
        let limit = format!("/{}", "y".repeat(MAX_SHEBANG - 4));
        assert_eq!(shebang(&limit), format!("#!{limit}"));
    }
}
