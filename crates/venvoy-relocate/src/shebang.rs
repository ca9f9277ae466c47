//! Console-script headers: reading the interpreter out of the forms pip,
//! distlib, uv and venvoy write, and writing them again for a new path or in
//! the relocatable form.
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

use venvoy_wheel::scripts::MAX_SHEBANG;

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
    let first = trim_start(first);
    let end = first.iter().position(|b| b.is_ascii_whitespace()).unwrap_or(first.len());
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
    } else {
        let (path, after) = sh_word(word)?;
        (Interpreter::Path(path), after)
    };
    let args = trim_end(after).strip_suffix(TAIL)?;
    Some(Header { interpreter, args, body })
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

fn trim_start(s: &[u8]) -> &[u8] {
    let i = s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len());
    &s[i..]
}

fn trim_end(s: &[u8]) -> &[u8] {
    let i = s.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &s[..i]
}

/// Quote bytes for POSIX sh: inside single quotes, `'` written as `'"'"'`.
fn sh_quote(text: &[u8]) -> Vec<u8> {
    let mut out = vec![b'\''];
    for &b in text {
        if b == b'\'' {
            out.extend_from_slice(b"'\"'\"'");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

/// The header (no trailing newline) that runs `python` with `args`: the
/// script writer's own choice of form when there are no arguments.
pub fn render_path(python: &[u8], args: &[u8]) -> Vec<u8> {
    if args.is_empty()
        && let Ok(python) = std::str::from_utf8(python)
    {
        return venvoy_wheel::scripts::shebang(python).into_bytes();
    }
    let simple = !python.iter().any(u8::is_ascii_whitespace) && python.len() + args.len() + 3 <= MAX_SHEBANG;
    if simple {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn path(h: &Header<'_>) -> Vec<u8> {
        match &h.interpreter {
            Interpreter::Path(p) => p.clone(),
            Interpreter::Relative => panic!("relative"),
        }
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
        let venvoy = venvoy_wheel::scripts::shebang("/my env/it's/bin/python");
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
}
