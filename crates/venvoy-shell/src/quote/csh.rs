//! csh and tcsh quoting.

use super::Unrepresentable;

/// Quote `s` as one single-quoted csh/tcsh word.
///
/// csh applies history substitution even inside single quotes and even in
/// sourced files, so `!` is written `\!`. A single quote is written `'\''`.
/// A newline is refused: csh splits a variable's value into words at
/// newlines even inside `"…"`, so no activation script could use it safely.
pub fn csh(s: &str) -> Result<String, Unrepresentable> {
    if s.contains(['\n', '\r']) {
        return Err(Unrepresentable {
            shell: "csh",
            reason: "it contains a line break, which csh variables cannot hold safely",
        });
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '!' => out.push_str("\\!"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bang_and_quote() {
        assert_eq!(csh("a!b").unwrap(), r"'a\!b'");
        assert_eq!(csh("it's").unwrap(), r"'it'\''s'");
        assert_eq!(csh("").unwrap(), "''");
        assert_eq!(csh("$x `y` %z").unwrap(), "'$x `y` %z'");
    }

    #[test]
    fn newline_refused() {
        assert!(csh("a\nb").is_err());
        assert!(csh("a\rb").is_err());
    }
}
