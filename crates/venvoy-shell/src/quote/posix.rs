//! POSIX `sh` quoting (bash, zsh, dash, ksh, mksh, busybox sh).

/// Quote `s` as one single-quoted POSIX shell word.
///
/// Inside `'…'` every byte is literal, including newlines; a single quote is
/// written as `'\''` (close, escaped quote, reopen). A CR followed by LF
/// gets an empty `''` between them, so a script never holds a CRLF pair.
/// The empty string becomes `''`.
pub fn posix(s: &str) -> String {
    String::from_utf8(posix_bytes(s.as_bytes())).expect("quoting keeps UTF-8 intact")
}

/// Quote raw bytes (e.g. a non-UTF-8 path) the same way as [`posix`].
///
/// POSIX shells read scripts as bytes, so any byte but NUL may stand inside
/// single quotes.
pub fn posix_bytes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'\'');
    for (i, &b) in s.iter().enumerate() {
        match b {
            b'\'' => out.extend_from_slice(b"'\\''"),
            b'\n' if i > 0 && s[i - 1] == b'\r' => out.extend_from_slice(b"''\n"),
            _ => out.push(b),
        }
    }
    out.push(b'\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_empty() {
        assert_eq!(posix(""), "''");
        assert_eq!(posix("abc"), "'abc'");
    }

    #[test]
    fn single_quote_is_closed_and_reopened() {
        assert_eq!(posix("it's"), r"'it'\''s'");
    }

    #[test]
    fn everything_else_is_literal() {
        assert_eq!(posix("$(x) `y` \\ \n"), "'$(x) `y` \\ \n'");
    }

    #[test]
    fn crlf_is_split() {
        assert_eq!(posix("a\r\nb"), "'a\r''\nb'");
    }

    #[test]
    fn bytes_match_str() {
        assert_eq!(posix_bytes(b"a'b"), posix("a'b").into_bytes());
        assert_eq!(posix_bytes(b"\xff'"), b"'\xff'\\'''".to_vec());
    }
}
