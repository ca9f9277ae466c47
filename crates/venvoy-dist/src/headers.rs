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
    let mut headers: Vec<(String, String)> = Vec::new();
    let body = walk_headers(text, file, |line| match line {
        Line::Header(key, value) => headers.push((key.to_owned(), value.to_owned())),
        Line::Continuation(more) => {
            if let Some((_, value)) = headers.last_mut() {
                value.push('\n');
                value.push_str(more);
            }
        }
    })?;
    let body = body.filter(|b| !b.is_empty()).map(str::to_owned);
    Ok(HeaderBlock { headers, body })
}

/// The first value of each of `keys` (compared case-insensitively), read as
/// [`parse_headers`] reads the block (the same errors), without keeping
/// the other headers or the body.
pub(crate) fn first_values<const N: usize>(
    text: &str,
    file: &'static str,
    keys: [&str; N],
) -> Result<[Option<String>; N], ParseError> {
    let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
    // The header the last line belongs to, when it is one being kept.
    let mut current: Option<usize> = None;
    walk_headers(text, file, |line| match line {
        Line::Header(key, value) => {
            current = keys.iter().position(|k| k.eq_ignore_ascii_case(key)).filter(|&i| found[i].is_none());
            if let Some(i) = current {
                found[i] = Some(value.to_owned());
            }
        }
        Line::Continuation(more) => {
            if let Some(value) = current.and_then(|i| found[i].as_mut()) {
                value.push('\n');
                value.push_str(more);
            }
        }
    })?;
    Ok(found)
}

/// One line of a header block, trimmed as its value is kept.
enum Line<'a> {
    Header(&'a str, &'a str),
    Continuation(&'a str),
}

/// Walk the header block, line by line; the body after the first blank
/// line, if there is one.
fn walk_headers<'t>(
    text: &'t str,
    file: &'static str,
    mut each: impl FnMut(Line<'_>),
) -> Result<Option<&'t str>, ParseError> {
    let mut rest = text;
    let mut line_no = 0usize;
    let mut any = false;
    while !rest.is_empty() {
        let (line, after) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        line_no += 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            return Ok(Some(after));
        }
        if line.starts_with([' ', '\t']) {
            if !any {
                return Err(ParseError::new(file, line_no, "continuation line before any header"));
            }
            each(Line::Continuation(line.trim()));
        } else {
            let Some((key, value)) = line.split_once(':') else {
                return Err(ParseError::new(file, line_no, "expected `Key: value`"));
            };
            let key = key.trim_end();
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(ParseError::new(file, line_no, format!("invalid header name `{key}`")));
            }
            any = true;
            each(Line::Header(key, value.trim()));
        }
        rest = after;
    }
    Ok(None)
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
