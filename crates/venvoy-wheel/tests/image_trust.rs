//! The image check: files unchanged since a full check are not re-hashed,
//! and any later write to one (it moves the mtime) brings the hash back.

mod common;

use std::time::{Duration, SystemTime};

use common::WheelBuilder;
use venvoy_wheel::WheelCache;

fn set_mtime(path: &std::path::Path, t: SystemTime) {
    std::fs::File::options().write(true).open(path).unwrap().set_modified(t).unwrap();
}

#[test]
fn unchanged_files_are_trusted_and_edited_ones_are_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let wheel = WheelBuilder::new("demo", "1.0").file("demo/__init__.py", "VALUE = 1\n").build(tmp.path());
    let cache = WheelCache::new(tmp.path().join("cache"));
    let first = cache.unpack(&wheel).unwrap();
    assert!(first.was_unpacked());
    let files = first.files_dir();
    let manifest_path = files.parent().unwrap().join("manifest.json");
    drop(first);

    // Fresh files are not vouched for: a check hashes them and records no trust.
    assert!(!cache.unpack(&wheel).unwrap().was_unpacked());
    assert!(!std::fs::read_to_string(&manifest_path).unwrap().contains("trusted_at_ns"));

    // Once they are old enough, a full check records their mtimes.
    let old = SystemTime::now() - Duration::from_secs(60);
    for entry in walk(&files) {
        set_mtime(&entry, old);
    }
    assert!(!cache.unpack(&wheel).unwrap().was_unpacked());
    assert!(std::fs::read_to_string(&manifest_path).unwrap().contains("trusted_at_ns"));

    // The same size and mtime: trusted without hashing (a deliberate forgery
    // of both is not detected, as in git).
    let module = files.join("demo/__init__.py");
    std::fs::write(&module, "VALUE = 2\n").unwrap();
    set_mtime(&module, old);
    assert!(!cache.unpack(&wheel).unwrap().was_unpacked());

    // An ordinary edit moves the mtime: hashed, found corrupt, rebuilt.
    std::fs::write(&module, "VALUE = 3\n").unwrap();
    let again = cache.unpack(&wheel).unwrap();
    assert!(again.was_unpacked(), "an edited image is rebuilt");
    assert_eq!(std::fs::read_to_string(again.files_dir().join("demo/__init__.py")).unwrap(), "VALUE = 1\n");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}
