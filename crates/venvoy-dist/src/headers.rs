//! The RFC 822 style header block shared by `METADATA`, `PKG-INFO` and `WHEEL`.

use crate::ParseError;

/// Headers in file order (keys may repeat) and the body after the first blank line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HeaderBlock {
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// Split text into headers and body. Continuation lines (starting with a space
/// or tab) extend the previous header's value, joined with a newline. A line
/// that is neither a header nor a continuation is an error.
pub(crate) fn parse_headers(text: &str, file: &'static str) -> Result<HeaderBlock, ParseError> {
    let mut block = HeaderBlock::default();
    let mut rest = text;
    let mut line_no = 0usize;
    while !rest.is_empty() {
        let (line, after) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        line_no += 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            if !after.is_empty() {
                block.body = Some(after.to_owned());
            }
            return Ok(block);
        }
        if line.starts_with([' ', '\t']) {
            let Some((_, value)) = block.headers.last_mut() else {
                return Err(ParseError::new(file, line_no, "continuation line before any header"));
            };
            value.push('\n');
            value.push_str(line.trim());
        } else {
            let Some((key, value)) = line.split_once(':') else {
                return Err(ParseError::new(file, line_no, "expected `Key: value`"));
            };
            let key = key.trim_end();
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(ParseError::new(file, line_no, format!("invalid header name `{key}`")));
            }
            block.headers.push((key.to_owned(), value.trim().to_owned()));
        }
        rest = after;
    }
    Ok(block)
}

impl HeaderBlock {
    /// The first value for `key`, compared case-insensitively.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// Every value for `key`, in file order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuation_and_body() {
        let block = parse_headers("A: 1\nB: two\n  lines\r\nA: 3\n\nbody\ntext\n", "T").unwrap();
        assert_eq!(block.get("a"), Some("1"));
        assert_eq!(block.get_all("A").collect::<Vec<_>>(), ["1", "3"]);
        assert_eq!(block.get("B"), Some("two\nlines"));
        assert_eq!(block.body.as_deref(), Some("body\ntext\n"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_headers("A: 1\nnonsense\n", "T").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(parse_headers(" lead\n", "T").is_err());
    }
}
