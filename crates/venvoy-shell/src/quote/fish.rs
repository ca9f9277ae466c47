//! fish quoting.

/// Quote `s` as one single-quoted fish word.
///
/// In fish's single quotes only `\\` and `\'` are escapes; everything else,
/// newlines included, is literal.
pub fn fish(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
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
    }
}
