//! PowerShell quoting.

/// Quote `s` as a PowerShell verbatim (single-quoted) string.
///
/// Nothing is expanded inside `'…'`; a quote is written twice. PowerShell
/// also treats the typographic quotes U+2018–U+201B as single quotes, so
/// those are doubled too. Text with a carriage return becomes a
/// parenthesized concatenation with `[char]13`.
pub fn powershell(s: &str) -> String {
    if s.contains('\r') {
        // `('a' + [char]13 + 'b')`: no CR byte, so no CRLF pair, in scripts.
        let parts: Vec<String> = s.split('\r').map(verbatim).collect();
        return format!("({})", parts.join(" + [char]13 + "));
    }
    verbatim(s)
}

fn verbatim(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            out.push(c);
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
    fn quotes_doubled() {
        assert_eq!(powershell(""), "''");
        assert_eq!(powershell("it's"), "'it''s'");
        assert_eq!(powershell("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(powershell("$(x) `n \"y\""), "'$(x) `n \"y\"'");
        assert_eq!(powershell("a\r\nb\r"), "('a' + [char]13 + '\nb' + [char]13 + '')");
    }
}
