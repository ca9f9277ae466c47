//! csh and tcsh quoting.

/// Quote any `s` as one single-quoted csh/tcsh word, line breaks included.
///
/// csh applies history substitution even inside single quotes and even in
/// sourced files, so `!` is written `\!`. A single quote is written `'\''`.
/// A newline is written as backslash-newline, which csh reads inside single
/// quotes as a plain newline (a CR is an ordinary character to it). A script
/// must read the value as `$name:q` (one word, nothing expanded), never
/// inside `"…"`, where csh stops with `Unmatched '"'` at a newline.
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
        assert_eq!(csh_word("a!b"), r"'a\!b'");
        assert_eq!(csh_word("it's"), r"'it'\''s'");
        assert_eq!(csh_word(""), "''");
        assert_eq!(csh_word("$x `y` %z"), "'$x `y` %z'");
    }

    #[test]
    fn word_takes_line_breaks() {
        assert_eq!(csh_word("a\nb!'"), "'a\\\nb\\!'\\'''");
        assert_eq!(csh_word("cr\r"), "'cr\r'");
    }
}
