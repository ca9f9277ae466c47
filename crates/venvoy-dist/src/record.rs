//! `RECORD`: the CSV list of installed files with their hashes and sizes (PEP 376, PEP 427).

use std::path::Path;

use std::fmt;

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use crate::ParseError;

const FILE: &str = "RECORD";

/// The digest encoding of `RECORD` (PEP 376, PEP 427): URL-safe base64,
/// written without `=` padding and read with or without it.
const DIGEST: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A digest as `RECORD` writes it.
pub fn encode_digest(bytes: &[u8]) -> String {
    DIGEST.encode(bytes)
}

/// A digest as `RECORD` writes it, decoded; `None` if it is not base64.
pub fn decode_digest(text: &str) -> Option<Vec<u8>> {
    DIGEST.decode(text).ok()
}

/// A digest as written in `RECORD`: `sha256=<urlsafe base64, no padding>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileHash {
    /// The hashlib algorithm name, e.g. `sha256`.
    pub algorithm: String,
    /// The raw digest bytes.
    pub digest: Vec<u8>,
}

impl FileHash {
    /// A SHA-256 hash from its raw digest.
    pub fn sha256(digest: impl Into<Vec<u8>>) -> Self {
        Self { algorithm: "sha256".to_owned(), digest: digest.into() }
    }

    /// Parse `algorithm=digest`; `None` if either part is malformed.
    pub fn parse(text: &str) -> Option<Self> {
        let (algorithm, digest) = text.split_once('=')?;
        if algorithm.is_empty() || !algorithm.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        Some(Self { algorithm: algorithm.to_ascii_lowercase(), digest: decode_digest(digest)? })
    }
}

impl fmt::Display for FileHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.algorithm, encode_digest(&self.digest))
    }
}

/// One row of `RECORD`: a path relative to the install root, and optionally
/// its hash and size (both empty for `RECORD` itself and for `.pyc` files).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordEntry {
    /// Path relative to site-packages, with `/` separators.
    pub path: String,
    /// The file's hash, if recorded.
    pub hash: Option<FileHash>,
    /// The file's size in bytes, if recorded.
    pub size: Option<u64>,
}

/// Parse a `RECORD` file. It must be UTF-8 (paths must survive exactly);
/// each non-empty row has one to three fields (path, hash, size) with CSV quoting.
pub fn parse_record(bytes: &[u8]) -> Result<Vec<RecordEntry>, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::new(FILE, 0, format!("not UTF-8: {e}")))?;
    let mut entries = Vec::new();
    for row in CsvRows::new(text) {
        let (line, fields) = row?;
        if fields.len() == 1 && fields[0].is_empty() {
            continue;
        }
        if fields.len() > 3 {
            return Err(ParseError::new(
                FILE,
                line,
                format!("expected at most 3 fields, found {}", fields.len()),
            ));
        }
        let mut fields = fields.into_iter();
        let path = fields.next().unwrap_or_default();
        if path.is_empty() {
            return Err(ParseError::new(FILE, line, "empty path"));
        }
        let hash = match fields.next().unwrap_or_default() {
            h if h.is_empty() => None,
            h => Some(
                FileHash::parse(&h)
                    .ok_or_else(|| ParseError::new(FILE, line, format!("invalid hash `{h}` for `{path}`")))?,
            ),
        };
        let size = match fields.next().unwrap_or_default() {
            s if s.is_empty() => None,
            s => Some(
                s.parse::<u64>()
                    .map_err(|_| ParseError::new(FILE, line, format!("invalid size `{s}` for `{path}`")))?,
            ),
        };
        entries.push(RecordEntry { path, hash, size });
    }
    Ok(entries)
}

/// Write `RECORD` rows, quoting fields the way Python's `csv` module does
/// (only when they contain `,`, `"`, CR or LF), each row ending in `\n`.
pub fn write_record(entries: &[RecordEntry]) -> String {
    let mut out = String::new();
    for entry in entries {
        push_field(&mut out, &entry.path);
        out.push(',');
        if let Some(hash) = &entry.hash {
            push_field(&mut out, &hash.to_string());
        }
        out.push(',');
        if let Some(size) = entry.size {
            out.push_str(&size.to_string());
        }
        out.push('\n');
    }
    out
}

fn push_field(out: &mut String, field: &str) {
    // A lone empty path would read back as a blank line; quote it too.
    if field.is_empty() || field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Iterator over CSV rows: `(first line number, fields)`.
struct CsvRows<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl<'a> CsvRows<'a> {
    fn new(text: &'a str) -> Self {
        Self { chars: text.chars().peekable(), line: 1 }
    }
}

impl Iterator for CsvRows<'_> {
    type Item = Result<(usize, Vec<String>), ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.chars.peek()?;
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut was_quoted = false;
        while let Some(c) = self.chars.next() {
            if quoted {
                match c {
                    '"' if self.chars.peek() == Some(&'"') => {
                        self.chars.next();
                        field.push('"');
                    }
                    '"' => quoted = false,
                    c => {
                        if c == '\n' {
                            self.line += 1;
                        }
                        field.push(c);
                    }
                }
                continue;
            }
            match c {
                ',' => {
                    fields.push(std::mem::take(&mut field));
                    was_quoted = false;
                }
                '"' if field.is_empty() && !was_quoted => {
                    quoted = true;
                    was_quoted = true;
                }
                '"' => {
                    return Some(Err(ParseError::new(FILE, self.line, "stray `\"` in field")));
                }
                '\r' if self.chars.peek() == Some(&'\n') => {}
                '\n' | '\r' => {
                    self.line += 1;
                    fields.push(field);
                    return Some(Ok((start_line, fields)));
                }
                c if was_quoted => {
                    return Some(Err(ParseError::new(
                        FILE,
                        self.line,
                        format!("unexpected `{}` after closing quote", c.escape_debug()),
                    )));
                }
                c => field.push(c),
            }
        }
        if quoted {
            return Some(Err(ParseError::new(FILE, start_line, "unterminated quoted field")));
        }
        fields.push(field);
        Some(Ok((start_line, fields)))
    }
}

/// Whether an installed `.dist-info` is whole: its `RECORD` exists and
/// every file it lists is there with the size it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    Complete,
    /// No `RECORD`: the install was interrupted before it finished (it is
    /// written last), or the file was lost.
    NoRecord,
    /// `RECORD` cannot be read or parsed.
    BadRecord(String),
    /// Files `RECORD` lists that are gone, and ones whose size differs.
    Damaged {
        missing: Vec<String>,
        truncated: Vec<String>,
    },
}

impl fmt::Display for Completeness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Complete => f.write_str("complete"),
            Self::NoRecord => f.write_str("it has no `RECORD`"),
            Self::BadRecord(why) => write!(f, "its `RECORD` cannot be read: {why}"),
            Self::Damaged { missing, truncated } => {
                let first = missing.first().or(truncated.first()).map(String::as_str).unwrap_or_default();
                write!(
                    f,
                    "{} files it lists are missing and {} have the wrong size (first: `{first}`)",
                    missing.len(),
                    truncated.len()
                )
            }
        }
    }
}

/// Check the `.dist-info` directory `dist_info` (whose parent is the
/// install root `RECORD` paths are relative to) against its `RECORD`'s
/// hashed entries. Sizes
/// only, no hashes: cheap enough for every `doctor` and `seed` run. Files
/// outside the root (scripts) are only checked to exist.
pub fn check_complete(dist_info: &Path) -> Completeness {
    let root = dist_info.parent().unwrap_or(Path::new("."));
    let bytes = match venvoy_fs::read::read_capped(&dist_info.join("RECORD"), venvoy_fs::read::LARGE) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Completeness::NoRecord,
        Err(e) => return Completeness::BadRecord(e.to_string()),
    };
    let entries = match parse_record(&bytes) {
        Ok(entries) => entries,
        Err(e) => return Completeness::BadRecord(e.to_string()),
    };
    let (mut missing, mut truncated) = (Vec::new(), Vec::new());
    for entry in entries {
        // Entries without a hash are not files the install wrote: `RECORD`
        // itself, byte-code caches (`__pycache__`, `.pyc`, made and deleted
        // freely), directories virtualenv lists. Their absence is no damage.
        if entry.hash.is_none() {
            continue;
        }
        let path = root.join(&entry.path);
        match std::fs::symlink_metadata(&path) {
            Err(_) => missing.push(entry.path),
            Ok(meta) => {
                // Scripts outside the install root (`../../../bin/pip`) get their
                // shebangs rewritten when the env moves: only their presence counts.
                let outside = entry.path.starts_with("../");
                if !outside && entry.size.is_some_and(|size| meta.is_file() && meta.len() != size) {
                    truncated.push(entry.path);
                }
            }
        }
    }
    if missing.is_empty() && truncated.is_empty() {
        Completeness::Complete
    } else {
        Completeness::Damaged { missing, truncated }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pip_style_record() {
        let text = "pip/__init__.py,sha256=hELWH3UN2ilBntczbn1BJOIzJEoiE8w9H-gsR5TeuEk,357\r\n\"a,b\"\"c.py\",,\n\npip-23.2.1.dist-info/RECORD,,\n";
        let entries = parse_record(text.as_bytes()).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].size, Some(357));
        assert_eq!(entries[0].hash.as_ref().unwrap().digest.len(), 32);
        assert_eq!(
            entries[0].hash.as_ref().unwrap().to_string(),
            "sha256=hELWH3UN2ilBntczbn1BJOIzJEoiE8w9H-gsR5TeuEk"
        );
        assert_eq!(entries[1].path, "a,b\"c.py");
        assert_eq!(entries[2].hash, None);
    }

    #[test]
    fn unhashed_entries_may_be_missing_hashed_ones_may_not() {
        let dir = tempfile::tempdir().unwrap();
        let info = dir.path().join("pkg-1.0.dist-info");
        std::fs::create_dir_all(&info).unwrap();
        std::fs::write(dir.path().join("pkg.py"), "x = 1\n").unwrap();
        // As virtualenv writes it: the `__pycache__` directory and the
        // byte-code listed without a hash, and never made.
        let record = "pkg.py,sha256=AAAA,6\npkg/__pycache__,,\npkg/__pycache__/pkg.cpython-312.pyc,,\npkg-1.0.dist-info/RECORD,,\n";
        std::fs::write(info.join("RECORD"), record).unwrap();
        assert_eq!(check_complete(&info), Completeness::Complete);
        std::fs::write(dir.path().join("pkg.py"), "x\n").unwrap();
        assert!(
            matches!(check_complete(&info), Completeness::Damaged { truncated, .. } if truncated == ["pkg.py"])
        );
        std::fs::remove_file(dir.path().join("pkg.py")).unwrap();
        assert!(
            matches!(check_complete(&info), Completeness::Damaged { missing, .. } if missing == ["pkg.py"])
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_record(b"a,b,c,d\n").is_err());
        assert!(parse_record(b"a,sha256=!!,1\n").is_err());
        assert!(parse_record(b"a,,x\n").is_err());
        assert!(parse_record(b"\"a\n").is_err());
        assert!(parse_record(b"\"a\"b,,\n").is_err());
        assert!(parse_record(b"\xff,,\n").is_err());
        assert!(parse_record(b",,\n").is_err());
    }

    #[test]
    fn write_quotes_when_needed() {
        let entries = vec![
            RecordEntry {
                path: "x/a b.py".into(),
                hash: Some(FileHash::sha256(vec![1, 2, 3])),
                size: Some(3),
            },
            RecordEntry { path: "we,ird\"\n".into(), hash: None, size: None },
        ];
        let text = write_record(&entries);
        assert_eq!(text, "x/a b.py,sha256=AQID,3\n\"we,ird\"\"\n\",,\n");
        assert_eq!(parse_record(text.as_bytes()).unwrap(), entries);
    }
}
