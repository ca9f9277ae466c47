//! `file://` URLs as pip writes them in `direct_url.json`: the path
//! percent-encoded except for unreserved characters and `/`.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The local path of a `file://` URL (`file:///p`, `file://localhost/p`).
pub fn to_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(OsStr::from_bytes(&out)))
}

/// The `file://` URL of an absolute path, encoded as Python's
/// `urllib.parse.quote` does (safe: letters, digits, `_.-~/`).
pub fn from_path(path: &Path) -> String {
    let mut out = String::from("file://");
    for &b in path.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let p = Path::new("/my env/é/it's");
        let url = from_path(p);
        assert_eq!(url, "file:///my%20env/%C3%A9/it%27s");
        assert_eq!(to_path(&url).unwrap(), p);
        assert_eq!(to_path("file://localhost/x").unwrap(), Path::new("/x"));
        assert!(to_path("https://x/y").is_none());
        assert!(to_path("file:///bad%zz").is_none());
    }
}
