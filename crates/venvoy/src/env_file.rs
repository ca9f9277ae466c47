//! `venvoy run --env-file FILE`: dotenv files, parsed by the `dotenvy` crate
//! (the parser `uv run --env-file` uses): `NAME=VALUE` lines, `export`
//! prefixes, `#` comments, single quotes (literal), double quotes (escapes
//! and `$VAR`/`${VAR}` from earlier lines of the file or the environment),
//! values continued over lines inside quotes. Errors name the file and the
//! line.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::report::UserError;

/// Largest env file read: far beyond any real one, and never unbounded (a
/// FIFO, as `--env-file <(…)` makes, is read to its end up to this).
const CAP: u64 = 16 * 1024 * 1024;

/// The variables of every file in order; a later file wins over an earlier one.
pub fn read_all(files: &[PathBuf], cwd: &Path) -> Result<Vec<(String, String)>, UserError> {
    let mut vars: Vec<(String, String)> = Vec::new();
    for file in files {
        for (name, value) in read(&cwd.join(file))? {
            vars.retain(|(n, _)| *n != name);
            vars.push((name, value));
        }
    }
    Ok(vars)
}

/// One file's variables, in order (a name given twice: the later line wins).
pub fn read(path: &Path) -> Result<Vec<(String, String)>, UserError> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(CAP + 1).read_to_end(&mut bytes)).map_err(|e| {
        UserError::new(format!("cannot read the env file `{}`: {e}", path.display()))
            .hint("check the path given to `--env-file`")
    })?;
    if bytes.len() as u64 > CAP {
        return Err(UserError::new(format!("the env file `{}` is larger than {CAP} bytes", path.display()))
            .hint("an env file holds `NAME=VALUE` lines; check the path given to `--env-file`"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = line_of(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
        UserError::new(format!("`{}` line {line}: the env file is not valid UTF-8", path.display()))
            .hint("save the file as UTF-8")
    })?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut vars: Vec<(String, String)> = Vec::new();
    for item in dotenvy::from_read_iter(body.as_bytes()) {
        match item {
            Ok((name, value)) => {
                vars.retain(|(n, _)| *n != name);
                vars.push((name, value));
            }
            Err(dotenvy::Error::LineParse(line_text, at)) => {
                let line = body.find(&line_text).map_or(0, |start| {
                    let mut end = start + at.min(line_text.trim_end().len());
                    while !body.is_char_boundary(end) {
                        end -= 1;
                    }
                    line_of(body, end)
                });
                let shown = line_text.lines().next().unwrap_or_default();
                return Err(UserError::new(format!(
                    "`{}` line {line}: cannot parse `{shown}`",
                    path.display()
                ))
                .hint("each line is `NAME=VALUE` (optionally after `export`); quote a value holding spaces or `#`, and close every quote"));
            }
            Err(e) => {
                return Err(UserError::new(format!("`{}`: {e}", path.display()))
                    .hint("check the env file given to `--env-file`"));
            }
        }
    }
    Ok(vars)
}

/// The 1-based line holding byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, text).unwrap();
        read(&path).map_err(|e| e.to_string())
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    }

    #[test]
    fn quotes_comments_export() {
        let got = parse(
            "# a comment\n\nexport A=1\nB='single $A #not comment'\nC=\"double $A \\\"q\\\"\"\nD=plain # trailing\nE=\"two\nlines\"\nA=2\n",
        )
        .unwrap();
        assert_eq!(
            got,
            pairs(&[
                ("B", "single $A #not comment"),
                ("C", "double 1 \"q\""),
                ("D", "plain"),
                ("E", "two\nlines"),
                ("A", "2"),
            ])
        );
    }

    #[test]
    fn bad_line_is_named() {
        let err = parse("A=1\n# c\nB=2\nthis is not valid\nC=3\n").unwrap_err();
        assert!(err.contains("line 4: cannot parse `this is not valid`"), "{err}");
        let err = parse("A=1\nB='unclosed\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn later_files_win() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "X=a\nY=a\n").unwrap();
        std::fs::write(dir.path().join("b"), "X=b\n").unwrap();
        let got = read_all(&["a".into(), "b".into()], dir.path()).unwrap();
        assert_eq!(got, pairs(&[("Y", "a"), ("X", "b")]));
        let err = read_all(&["missing".into()], dir.path()).unwrap_err().to_string();
        assert!(err.contains("cannot read the env file"), "{err}");
    }
}
