//! fish quoting.

/// Quote `s` as one single-quoted fish word.
///
/// In fish's single quotes only `\\` and `\'` are escapes; everything else,
/// newlines included, is literal. A CR followed by LF gets an empty `''`
/// between them, so a script never holds a CRLF pair.
pub fn fish(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    let mut prev = None;
    for c in s.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        // Adjacent quoted strings join: `''` keeps CR and LF apart.
        if c == '\n' && prev == Some('\r') {
            out.push_str("''");
        }
        out.push(c);
        prev = Some(c);
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_backslash_and_quote_only() {
        assert_eq!(fish(""), "''");
        assert_eq!(fish(r"a\b'c$d"), r"'a\\b\'c$d'");
        assert_eq!(fish("(x)\n*"), "'(x)\n*'");
        assert_eq!(fish("a\r\nb"), "'a\r''\nb'");
    }
}
