//! `direct_url.json` (PEP 610), the one reader every crate uses: where a
//! distribution was installed from (a URL, a VCS, a local directory), and
//! the `file://` URLs it holds, decoded and encoded as pip does.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, percent_encode};

/// Where a distribution was installed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectUrl {
    pub url: String,
    pub kind: Kind,
    pub subdirectory: Option<String>,
}

/// Which of PEP 610's three kinds of source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Vcs { vcs: String, commit_id: String },
    Archive { hash: Option<String> },
    Dir { editable: bool },
}

impl DirectUrl {
    /// Parse the JSON; `None` when it is not a valid PEP 610 document (pip
    /// ignores those too): no `url`, or not exactly one of `vcs_info`,
    /// `archive_info`, `dir_info`.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let url = value.get("url")?.as_str()?.to_string();
        let text = |v: &serde_json::Value, key: &str| {
            v.get(key).and_then(serde_json::Value::as_str).map(str::to_string)
        };
        let infos = ["vcs_info", "archive_info", "dir_info"];
        if infos.iter().filter(|k| value.get(**k).is_some()).count() != 1 {
            return None;
        }
        let kind = if let Some(vcs) = value.get("vcs_info") {
            Kind::Vcs { vcs: text(vcs, "vcs")?, commit_id: text(vcs, "commit_id")? }
        } else if let Some(archive) = value.get("archive_info") {
            Kind::Archive { hash: text(archive, "hash") }
        } else {
            let editable =
                value.get("dir_info").and_then(|d| d.get("editable")).and_then(serde_json::Value::as_bool);
            Kind::Dir { editable: editable.unwrap_or(false) }
        };
        Some(Self { url, kind, subdirectory: text(&value, "subdirectory") })
    }

    /// Whether it is an editable install (`dir_info.editable`).
    pub fn editable(&self) -> bool {
        matches!(self.kind, Kind::Dir { editable: true })
    }

    /// The project directory of a local editable install (pip's
    /// `editable_project_location`).
    pub fn editable_location(&self) -> Option<PathBuf> {
        if self.editable() { file_url_to_path(&self.url) } else { None }
    }

    /// `name @ url`, as pip's `direct_url_as_pep440_direct_reference`.
    pub fn requirement(&self, name: &str) -> String {
        let mut req = format!("{name} @ ");
        let mut fragments = Vec::new();
        match &self.kind {
            Kind::Vcs { vcs, commit_id } => req.push_str(&format!("{vcs}+{}@{commit_id}", self.url)),
            Kind::Archive { hash } => {
                req.push_str(&self.url);
                fragments.extend(hash.clone());
            }
            Kind::Dir { .. } => req.push_str(&self.url),
        }
        if let Some(sub) = &self.subdirectory {
            fragments.push(format!("subdirectory={sub}"));
        }
        if !fragments.is_empty() {
            req.push('#');
            req.push_str(&fragments.join("&"));
        }
        req
    }
}

/// The local path of a `file://` URL (`file:///p`, `file://localhost/p`);
/// `None` for other URLs. Escapes are decoded to bytes, so a non-UTF-8
/// path comes back as it was; a `%` not followed by two hex digits stays
/// as it is (as Python's `urllib.parse.unquote` leaves it).
pub fn file_url_to_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes: Vec<u8> = percent_decode_str(rest).collect();
    Some(PathBuf::from(OsStr::from_bytes(&bytes)))
}

/// What stays unencoded in a path, as in Python's `urllib.parse.quote`
/// (pip's `path_to_url`): letters, digits, `_.-~/`.
const PATH_SAFE: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-').remove(b'~').remove(b'/');

/// The `file://` URL of an absolute path, encoded as pip writes it.
pub fn path_to_file_url(path: &Path) -> String {
    format!("file://{}", percent_encode(path.as_os_str().as_bytes(), PATH_SAFE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_like_pip() {
        let d = DirectUrl::parse(br#"{"url": "https://x/a.tar.gz", "archive_info": {"hash": "sha256=ab"}}"#)
            .unwrap();
        assert_eq!(d.requirement("a"), "a @ https://x/a.tar.gz#sha256=ab");
        let d = DirectUrl::parse(
            br#"{"url": "https://g/r", "vcs_info": {"vcs": "git", "commit_id": "c0"}, "subdirectory": "s"}"#,
        )
        .unwrap();
        assert_eq!(d.requirement("r"), "r @ git+https://g/r@c0#subdirectory=s");
    }

    #[test]
    fn an_editable_directory_has_its_location() {
        let d = DirectUrl::parse(br#"{"url": "file:///src/a%20b", "dir_info": {"editable": true}}"#).unwrap();
        assert!(d.editable());
        assert_eq!(d.editable_location(), Some(PathBuf::from("/src/a b")));
        let d = DirectUrl::parse(br#"{"url": "file:///src/a", "dir_info": {}}"#).unwrap();
        assert_eq!(d.editable_location(), None);
    }

    #[test]
    fn not_pep_610_is_none() {
        assert_eq!(DirectUrl::parse(br#"{"url": "x"}"#), None);
        assert_eq!(DirectUrl::parse(br#"{"url": "x", "dir_info": {}, "archive_info": {}}"#), None);
        assert_eq!(DirectUrl::parse(br#"{"vcs_info": {"vcs": "git", "commit_id": "c"}}"#), None);
    }

    #[test]
    fn file_urls_round_trip_any_bytes() {
        let p = Path::new("/my env/é/it's");
        let url = path_to_file_url(p);
        assert_eq!(url, "file:///my%20env/%C3%A9/it%27s");
        assert_eq!(file_url_to_path(&url).unwrap(), p);
        let latin1 = Path::new(OsStr::from_bytes(b"/caf\xe9"));
        assert_eq!(path_to_file_url(latin1), "file:///caf%E9");
        assert_eq!(file_url_to_path("file:///caf%E9").unwrap(), latin1);
    }

    #[test]
    fn file_urls_that_are_odd() {
        assert_eq!(file_url_to_path("file://localhost/x").unwrap(), Path::new("/x"));
        assert_eq!(file_url_to_path("file:///a%2").unwrap(), Path::new("/a%2"));
        assert_eq!(file_url_to_path("file:///bad%zz").unwrap(), Path::new("/bad%zz"));
        assert!(file_url_to_path("https://x/y").is_none());
        assert!(file_url_to_path("file://host/y").is_none());
    }
}
