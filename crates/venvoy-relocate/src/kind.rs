//! Which kind each file of an env is, by where it sits, and what each kind
//! becomes at the new location. Only files that can hold the env's path are
//! read: everything outside site-packages, and in site-packages the top
//! level (`.pth`, `.egg-link`, editable finders) and the `.dist-info` /
//! `.egg-info` metadata. Package contents are never read.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path};

use crate::prefix::Prefixes;
use venvoy_dist::direct_url::{file_url_to_path, path_to_file_url};
use venvoy_dist::script_header::{self as shebang, Interpreter};

/// Files above this size outside site-packages are linked without reading
/// (an env's own text files are small; big ones are data or binaries).
pub const MAX_SCANNED: u64 = 8 << 20;

/// What a file is, as far as relocation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `pyvenv.cfg`.
    Config,
    /// An activation script, regenerated for the new location.
    Activation,
    /// Anything else in the scripts directory: console scripts and friends.
    Script,
    /// `<dist>.dist-info/RECORD`: rewritten last, with fresh hashes.
    Record,
    /// `<dist>.dist-info/direct_url.json`.
    DirectUrl,
    /// A `.pth` or `.egg-link` file: always a fresh copy, because setuptools
    /// rewrites `easy-install.pth` in place.
    PathList,
    /// Any other file that may mention the env's path.
    Text,
    /// Package contents: linked as they are.
    Opaque,
}

impl Kind {
    /// Whether the file is read to be checked.
    pub fn is_scanned(self) -> bool {
        self != Self::Opaque
    }
}

fn is_site_dir(name: &OsStr) -> bool {
    name == "site-packages" || name == "dist-packages"
}

fn has_ext(name: &OsStr, ext: &str) -> bool {
    Path::new(name).extension().is_some_and(|e| e == ext)
}

/// The kind of the file at `rel` (relative to the env root).
pub fn classify(rel: &Path, scripts_dir: &OsStr, activation: &HashMap<String, Vec<u8>>) -> Kind {
    let parts: Vec<&OsStr> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect();
    let Some(&name) = parts.last() else { return Kind::Opaque };
    match parts.as_slice() {
        [n] if *n == "pyvenv.cfg" => return Kind::Config,
        [dir, n] if *dir == scripts_dir => {
            return if n.to_str().is_some_and(|n| activation.contains_key(n)) {
                Kind::Activation
            } else {
                Kind::Script
            };
        }
        _ => {}
    }
    let Some(site) = parts.iter().position(|p| is_site_dir(p)) else { return Kind::Text };
    match &parts[site + 1..] {
        [_] if has_ext(name, "pth") || has_ext(name, "egg-link") => Kind::PathList,
        [_] => Kind::Text,
        [meta, ..] if has_ext(meta, "dist-info") || has_ext(meta, "egg-info") => match parts.len() - site {
            3 if name == "RECORD" => Kind::Record,
            3 if name == "direct_url.json" => Kind::DirectUrl,
            _ => Kind::Text,
        },
        _ => Kind::Opaque,
    }
}

/// Whether bytes look binary (a NUL in the first 8 KiB, as grep decides).
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// What a scanned file of `kind` becomes; `None` when it stays as it is.
/// `Activation` and `Record` are handled by the caller.
pub fn rewrite(kind: Kind, bytes: &[u8], prefixes: &Prefixes) -> Option<Vec<u8>> {
    if is_binary(bytes) {
        return None;
    }
    match kind {
        Kind::Script => rewrite_script(bytes, prefixes),
        Kind::DirectUrl => rewrite_direct_url(bytes, prefixes).or_else(|| prefixes.replace(bytes)),
        _ => prefixes.replace(bytes),
    }
}

/// A console script: a header for the new interpreter path (choosing the
/// `/bin/sh` form when the new path is long or has spaces, and back), and
/// the old path replaced in the body.
fn rewrite_script(bytes: &[u8], prefixes: &Prefixes) -> Option<Vec<u8>> {
    let Some(header) = shebang::parse(bytes) else { return prefixes.replace(bytes) };
    let Interpreter::Path(python) = &header.interpreter else { return prefixes.replace(bytes) };
    let python = Path::new(OsStr::from_bytes(python));
    let Some(moved) = prefixes.map_path(python) else { return prefixes.replace(bytes) };
    let new_header = shebang::render_path(moved.as_os_str().as_bytes(), header.args);
    let body = prefixes.replace(header.body);
    Some(shebang::assemble(&new_header, body.as_deref().unwrap_or(header.body)))
}

/// `direct_url.json` whose `url` is a `file://` URL inside the env.
fn rewrite_direct_url(bytes: &[u8], prefixes: &Prefixes) -> Option<Vec<u8>> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let url = value.get("url")?.as_str()?;
    let moved = prefixes.map_path(&file_url_to_path(url)?)?;
    value["url"] = serde_json::Value::String(path_to_file_url(&moved));
    serde_json::to_vec(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn kind(rel: &str) -> Kind {
        let mut act = HashMap::new();
        act.insert("activate".to_string(), vec![]);
        classify(Path::new(rel), OsStr::new("bin"), &act)
    }

    #[test]
    fn kinds_by_place() {
        let sp = "lib/python3.12/site-packages";
        assert_eq!(kind("pyvenv.cfg"), Kind::Config);
        assert_eq!(kind("bin/activate"), Kind::Activation);
        assert_eq!(kind("bin/pip"), Kind::Script);
        assert_eq!(kind("share/jupyter/kernel.json"), Kind::Text);
        assert_eq!(kind(&format!("{sp}/easy-install.pth")), Kind::PathList);
        assert_eq!(kind(&format!("{sp}/proj.egg-link")), Kind::PathList);
        assert_eq!(kind(&format!("{sp}/__editable___proj_finder.py")), Kind::Text);
        assert_eq!(kind(&format!("{sp}/pip-24.0.dist-info/RECORD")), Kind::Record);
        assert_eq!(kind(&format!("{sp}/pip-24.0.dist-info/direct_url.json")), Kind::DirectUrl);
        assert_eq!(kind(&format!("{sp}/pip-24.0.dist-info/METADATA")), Kind::Text);
        assert_eq!(kind(&format!("{sp}/proj.egg-info/SOURCES.txt")), Kind::Text);
        assert_eq!(kind(&format!("{sp}/pip/__init__.py")), Kind::Opaque);
    }

    #[test]
    fn scripts_and_urls() {
        let p = Prefixes::new([PathBuf::from("/old/env")], Path::new("/new env"));
        let out = rewrite(Kind::Script, b"#!/old/env/bin/python3\nimport sys # /old/env\n", &p).unwrap();
        assert_eq!(
            out,
            b"#!/bin/sh\n'''exec' '/new env/bin/python3' \"$0\" \"$@\"\n' '''\nimport sys # /new env\n"
        );
        assert!(rewrite(Kind::Script, b"#!/usr/bin/python3\nx\n", &p).is_none());
        let url = br#"{"dir_info": {"editable": true}, "url": "file:///old/env/src/proj"}"#;
        let out = rewrite(Kind::DirectUrl, url, &p).unwrap();
        assert_eq!(out, br#"{"dir_info":{"editable":true},"url":"file:///new%20env/src/proj"}"#);
        assert!(rewrite(Kind::Text, b"\0/old/env", &p).is_none());
    }
}
