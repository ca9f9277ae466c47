//! csh and tcsh quoting.

use super::Unrepresentable;

/// Quote `s` as one single-quoted csh/tcsh word, for a value a script then
/// reads inside `"…"` (`"$name"`, `"${name}"`).
///
/// csh applies history substitution even inside single quotes and even in
/// sourced files, so `!` is written `\!`. A single quote is written `'\''`.
/// A line break is refused: csh stops with `Unmatched '"'` when `"$name"`
/// holds a newline. For such values use [`csh_word`] and read them as
/// `$name:q`.
pub fn csh(s: &str) -> Result<String, Unrepresentable> {
    if s.contains(['\n', '\r']) {
        return Err(Unrepresentable {
            shell: "csh",
            reason: "it contains a line break, which csh cannot read inside double quotes",
        });
    }
    Ok(csh_word(s))
}

/// Quote any `s` as one single-quoted csh/tcsh word, line breaks included.
///
/// As [`csh`], and a newline is written as backslash-newline, which csh
/// reads inside single quotes as a plain newline (a CR is an ordinary
/// character to it). A script must read such a value as `$name:q` (one
/// word, nothing expanded), never inside `"…"`.
pub fn csh_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '!' => out.push_str("\\!"),
            '\n' => out.push_str("\\\n"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
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

    #[test]
    fn word_takes_line_breaks() {
        assert_eq!(csh_word("a\nb!'"), "'a\\\nb\\!'\\'''");
        assert_eq!(csh_word("cr\r"), "'cr\r'");
    }
}
