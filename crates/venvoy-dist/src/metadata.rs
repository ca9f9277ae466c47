//! `METADATA` and `PKG-INFO`: the core metadata of a distribution.

use crate::ParseError;
use crate::headers::{HeaderBlock, first_values, parse_headers};

const FILE: &str = "METADATA";

/// Core metadata (any Metadata-Version). The common fields are pulled out;
/// every header stays available through [`Metadata::get`] and [`Metadata::get_all`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// `Metadata-Version`, if present.
    pub metadata_version: Option<String>,
    /// `Name`, as written (not normalised).
    pub name: String,
    /// `Version`, as written.
    pub version: String,
    /// `Summary`.
    pub summary: Option<String>,
    /// `Requires-Python`.
    pub requires_python: Option<String>,
    /// Every `Requires-Dist`, in order.
    pub requires_dist: Vec<String>,
    /// Every `Provides-Extra`, in order.
    pub provides_extra: Vec<String>,
    /// Every `Classifier`, in order.
    pub classifiers: Vec<String>,
    /// The description: the body after the headers, else the `Description` header.
    pub description: Option<String>,
    headers: Vec<(String, String)>,
}

/// What [`Metadata::parse_core`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreMetadata {
    pub name: String,
    pub version: String,
    pub summary: Option<String>,
}

impl Metadata {
    /// Parse a `METADATA` or `PKG-INFO` file. Bytes that are not UTF-8 are
    /// replaced (lossy decoding). `Name` and `Version` are required.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let block = parse_headers(text, FILE)?;
        Self::from_block(block)
    }

    /// Only `Name`, `Version` and `Summary`, read as [`Metadata::parse`]
    /// reads them (the same errors), without keeping the other headers: what
    /// a listing of many distributions needs.
    pub fn parse_core(bytes: &[u8]) -> Result<CoreMetadata, ParseError> {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let [name, version, summary] = first_values(text, FILE, ["Name", "Version", "Summary"])?;
        let required = |value: Option<String>, key: &str| match value {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ParseError::new(FILE, 0, format!("missing `{key}` header"))),
        };
        Ok(CoreMetadata { name: required(name, "Name")?, version: required(version, "Version")?, summary })
    }

    fn from_block(block: HeaderBlock) -> Result<Self, ParseError> {
        let required = |key: &str| -> Result<String, ParseError> {
            match block.get(key) {
                Some(v) if !v.is_empty() => Ok(v.to_owned()),
                _ => Err(ParseError::new(FILE, 0, format!("missing `{key}` header"))),
            }
        };
        let name = required("Name")?;
        let version = required("Version")?;
        let owned = |key: &str| block.get(key).map(str::to_owned);
        let all = |key: &str| block.get_all(key).map(str::to_owned).collect::<Vec<_>>();
        let description = match &block.body {
            Some(body) if !body.trim().is_empty() => Some(body.clone()),
            _ => owned("Description"),
        };
        Ok(Self {
            metadata_version: owned("Metadata-Version"),
            summary: owned("Summary"),
            requires_python: owned("Requires-Python"),
            requires_dist: all("Requires-Dist"),
            provides_extra: all("Provides-Extra"),
            classifiers: all("Classifier"),
            description,
            name,
            version,
            headers: block.headers,
        })
    }

    /// The first value of a header, compared case-insensitively.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// Every value of a (repeatable) header, in file order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// All headers in file order.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "Metadata-Version: 2.1\nName: Foo.Bar\nVersion: 1.0\nSummary: A thing\nRequires-Python: >=3.8\nClassifier: A\nClassifier: B\nRequires-Dist: requests (>=2)\nRequires-Dist: rich ; extra == 'x'\nProvides-Extra: x\nLicense: MIT\n  second line\n\nLong text\n\nmore\n";

    #[test]
    fn fields() {
        let m = Metadata::parse(SAMPLE.as_bytes()).unwrap();
        assert_eq!(m.name, "Foo.Bar");
        assert_eq!(m.version, "1.0");
        assert_eq!(m.summary.as_deref(), Some("A thing"));
        assert_eq!(m.requires_python.as_deref(), Some(">=3.8"));
        assert_eq!(m.classifiers, ["A", "B"]);
        assert_eq!(m.requires_dist.len(), 2);
        assert_eq!(m.provides_extra, ["x"]);
        assert_eq!(m.get("license"), Some("MIT\nsecond line"));
        assert_eq!(m.description.as_deref(), Some("Long text\n\nmore\n"));
    }

    #[test]
    fn lossy_and_missing() {
        let m = Metadata::parse(b"Name: x\nVersion: 1\nSummary: caf\xe9\n").unwrap();
        assert_eq!(m.summary.as_deref(), Some("caf\u{fffd}"));
        assert!(Metadata::parse(b"Name: x\n").is_err());
        assert!(Metadata::parse(b"").is_err());
    }

    #[test]
    fn core_reads_what_the_full_parse_reads() {
        let cases: [&[u8]; 12] = [
            SAMPLE.as_bytes(),
            b"\xef\xbb\xbfname: a\r\nVERSION: 2\r\nsummary: two\r\n  lines\r\n\r\nbody",
            b"Name: first\nName: second\nVersion: 1\nSummary: s\nSummary: t\n",
            b"Summary: early\n\tfolded\nName: n\nVersion: 1\nClassifier: x\n  y\n",
            b"Name: x\nVersion: 1\nSummary: caf\xe9\n",
            b"Name: x\nVersion: \n",
            b"Name: x\n",
            b"",
            b" lead\nName: x\nVersion: 1\n",
            b"Name: x\nnonsense\nVersion: 1\n",
            b"Name: x\nVersion: 1\n\nnonsense after the blank line\n",
            b"Bad Key: 1\nName: x\nVersion: 1\n",
        ];
        for bytes in cases {
            let full = Metadata::parse(bytes).map(|m| (m.name, m.version, m.summary));
            let core = Metadata::parse_core(bytes).map(|c| (c.name, c.version, c.summary));
            match (full, core) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", String::from_utf8_lossy(bytes)),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{a:?} != {b:?} for {}", String::from_utf8_lossy(bytes)),
            }
        }
        let two = Metadata::parse_core(cases[1]).unwrap();
        assert_eq!(two.summary.as_deref(), Some("two\nlines"));
    }
}
