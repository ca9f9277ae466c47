//! xonsh (and plain Python) string literals.

use std::fmt::Write as _;

/// Quote `s` as a Python string literal, valid in xonsh's Python mode and in
/// any Python 3 source file.
///
/// Uses single quotes; escapes backslash, quote, and every control or
/// non-printing character (`\n`, `\xNN`, `\uNNNN`); other non-ASCII text is
/// kept as-is (source files are UTF-8).
pub fn xonsh(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            // Line and paragraph separators, BOMs and other invisible
            // format characters are written as escapes so the file reads
            // unambiguously.
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(xonsh(""), "''");
        assert_eq!(xonsh("it's"), r"'it\'s'");
        assert_eq!(xonsh("a\\b\nc\x01"), r"'a\\b\nc\x01'");
        assert_eq!(xonsh("é🐍 $x"), "'é🐍 $x'");
        assert_eq!(xonsh("\u{2028}"), r"'\u2028'");
    }
}
