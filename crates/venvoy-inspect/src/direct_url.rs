//! `direct_url.json` (PEP 610), read fully: the requirement `pip freeze`
//! prints for a distribution installed from a URL, a VCS or a directory.

use std::path::PathBuf;

/// Where a distribution was installed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectUrl {
    pub url: String,
    pub kind: Kind,
    pub subdirectory: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Vcs { vcs: String, commit_id: String },
    Archive { hash: Option<String> },
    Dir { editable: bool },
}

impl DirectUrl {
    /// Parse the JSON; `None` when it is not a valid PEP 610 document (pip
    /// then ignores it too).
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let url = value.get("url")?.as_str()?.to_string();
        let text = |v: Option<&serde_json::Value>, key: &str| {
            v.and_then(|v| v.get(key)).and_then(serde_json::Value::as_str).map(str::to_string)
        };
        let infos = ["vcs_info", "archive_info", "dir_info"];
        if infos.iter().filter(|k| value.get(**k).is_some()).count() != 1 {
            return None;
        }
        let kind = if let Some(vcs) = value.get("vcs_info") {
            Kind::Vcs { vcs: text(Some(vcs), "vcs")?, commit_id: text(Some(vcs), "commit_id")? }
        } else if let Some(archive) = value.get("archive_info") {
            Kind::Archive { hash: text(Some(archive), "hash") }
        } else {
            let dir = value.get("dir_info");
            let editable = dir.and_then(|d| d.get("editable")).and_then(serde_json::Value::as_bool);
            Kind::Dir { editable: editable.unwrap_or(false) }
        };
        let subdirectory = text(Some(&value), "subdirectory");
        Some(Self { url, kind, subdirectory })
    }

    /// The project directory of a local editable install (pip's
    /// `editable_project_location`).
    pub fn editable_location(&self) -> Option<PathBuf> {
        match self.kind {
            Kind::Dir { editable: true } => file_url_to_path(&self.url),
            _ => None,
        }
    }

    /// `name @ url`, as pip's `direct_url_as_pep440_direct_reference`.
    pub fn requirement(&self, name: &str) -> String {
        let mut req = format!("{name} @ ");
        let mut fragments = Vec::new();
        match &self.kind {
            Kind::Vcs { vcs, commit_id } => req.push_str(&format!("{vcs}+{}@{commit_id}", self.url)),
            Kind::Archive { hash } => {
                req.push_str(&self.url);
                if let Some(hash) = hash {
                    fragments.push(hash.clone());
                }
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

/// `file:///a/b%20c` as `/a/b c`; `None` for other URLs.
pub fn file_url_to_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8_lossy(&out).into_owned()))
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
        let d = DirectUrl::parse(br#"{"url": "file:///src/a%20b", "dir_info": {"editable": true}}"#).unwrap();
        assert_eq!(d.editable_location(), Some(PathBuf::from("/src/a b")));
        assert_eq!(DirectUrl::parse(br#"{"url": "x"}"#), None);
        assert_eq!(file_url_to_path("file:///a%2"), Some(PathBuf::from("/a%2")));
    }
}
