//! nushell quoting.

/// Quote `s` as a nushell raw string, `r#'…'#`.
///
/// Raw strings have no escapes at all; the only thing that ends one is `'`
/// followed by as many `#` as opened it, so enough `#` are chosen that the
/// content cannot contain the terminator, and more than the `#` the content
/// starts with.
pub fn nu(s: &str) -> String {
    if s.contains('\r') {
        return nu_escaped(s);
    }
    // Longest run of '#' that directly follows a single quote.
    let mut longest = 0;
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\'' {
            let run = bytes[i + 1..].iter().take_while(|&&c| c == b'#').count();
            longest = longest.max(run);
        }
    }
    // nushell's lexer also mistakes content that starts with as many `#`
    // as the opener for part of the opener: outnumber those too.
    let leading = bytes.iter().take_while(|&&c| c == b'#').count();
    let hashes = "#".repeat(longest.max(leading) + 1);
    format!("r{hashes}'{s}'{hashes}")
}

/// A double-quoted nushell string with backslash escapes, for text with a
/// carriage return (written `\r`, so a script never holds a CRLF pair).
/// Not an interpolated `$"…"` string: nothing in it is evaluated.
fn nu_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_outnumber_content() {
        assert_eq!(nu("abc"), "r#'abc'#");
        assert_eq!(nu("a'#b"), "r##'a'#b'##");
        assert_eq!(nu("'##'#"), "r###''##'#'###");
        assert_eq!(nu(""), "r#''#");
        assert_eq!(nu("#"), "r##'#'##");
        assert_eq!(nu("a\r\n\"\\$(x)"), r#""a\r\n\"\\$(x)""#);
        assert_eq!(nu("##a"), "r###'##a'###");
    }
}
