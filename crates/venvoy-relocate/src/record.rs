//! `RECORD` at the new location: absolute paths inside the env moved, and
//! the hash and size of every file the relocation rewrote brought up to date.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use venvoy_fs::path::normalize;

use venvoy_dist::{FileHash, parse_record, write_record};

use crate::prefix::Prefixes;

/// The new hash and size of rewritten files, by path relative to the env root.
pub type Rewritten = HashMap<PathBuf, (FileHash, u64)>;

/// The new `RECORD` text, or `None` when nothing in it changes (or it cannot
/// be parsed: then the caller falls back to plain text replacement).
/// `record_rel` is the `RECORD` file's path relative to the env root.
pub fn rewrite(
    bytes: &[u8],
    record_rel: &Path,
    prefixes: &Prefixes,
    rewritten: &Rewritten,
) -> Option<Vec<u8>> {
    let mut entries = parse_record(bytes).ok()?;
    let root = prefixes.new_root();
    // Paths in RECORD are relative to the directory holding the .dist-info.
    let site_rel = record_rel.parent()?.parent()?;
    let mut changed = false;
    for entry in &mut entries {
        let listed = Path::new(&entry.path);
        let rel = if listed.is_absolute() {
            let Some(moved) = prefixes.map_path(listed) else { continue };
            entry.path = moved.to_string_lossy().into_owned();
            changed = true;
            match moved.strip_prefix(root) {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => continue,
            }
        } else {
            normalize(&site_rel.join(listed))
        };
        if let (Some(old), Some((hash, size))) = (&entry.hash, rewritten.get(&rel))
            && (old != hash || entry.size != Some(*size))
        {
            entry.hash = Some(hash.clone());
            entry.size = Some(*size);
            changed = true;
        }
    }
    changed.then(|| write_record(&entries).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_absolute_paths_and_refreshes_hashes() {
        let prefixes = Prefixes::new([PathBuf::from("/old")], Path::new("/new"));
        let record = b"pkg/__init__.py,sha256=AAAA,4\n../../../bin/tool,sha256=AAAA,10\n/old/share/x.txt,,\n/elsewhere/y,,\npkg-1.dist-info/RECORD,,\n";
        let mut rewritten = Rewritten::new();
        rewritten.insert(PathBuf::from("bin/tool"), (FileHash::sha256(vec![1u8; 32]), 42));
        let rel = Path::new("lib/python3.12/site-packages/pkg-1.dist-info/RECORD");
        let out = String::from_utf8(rewrite(record, rel, &prefixes, &rewritten).unwrap()).unwrap();
        assert!(
            out.contains("../../../bin/tool,sha256=AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE,42\n"),
            "{out}"
        );
        assert!(out.contains("/new/share/x.txt,,\n"));
        assert!(out.contains("/elsewhere/y,,\n"));
        assert!(out.contains("pkg/__init__.py,sha256=AAAA,4\n"));
        let unchanged = b"pkg/__init__.py,sha256=AAAA,4\n";
        assert!(rewrite(unchanged, rel, &prefixes, &rewritten).is_none());
    }
}
