//! POSIX `sh` quoting (bash, zsh, dash, ksh, mksh, busybox sh).

/// Quote `s` as one single-quoted POSIX shell word.
///
/// Inside `'…'` every byte is literal, including newlines; a single quote is
/// written as `'\''` (close, escaped quote, reopen). The empty string becomes
/// `''`.
pub fn posix(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// Quote raw bytes (e.g. a non-UTF-8 path) the same way as [`posix`].
///
/// POSIX shells read scripts as bytes, so any byte but NUL may stand inside
/// single quotes.
pub fn posix_bytes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'\'');
    for &b in s {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
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
    fn bytes_match_str() {
        assert_eq!(posix_bytes(b"a'b"), posix("a'b").into_bytes());
        assert_eq!(posix_bytes(b"\xff'"), b"'\xff'\\'''".to_vec());
    }
}
