//! Test support: build small wheels with the zip crate, and temp environments.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use venvoy_dist::record::encode_digest;
use venvoy_wheel::{InstallScheme, TargetPython};

/// A wheel under construction. Files are listed in `RECORD` with correct
/// hashes unless changed with [`WheelBuilder::tamper`] or [`WheelBuilder::unrecorded`].
pub struct WheelBuilder {
    pub name: String,
    pub version: String,
    pub tag: String,
    pub root_is_purelib: bool,
    files: Vec<(String, Vec<u8>, u32)>,
    unrecorded: Vec<(String, Vec<u8>)>,
    tampered: Vec<String>,
}

impl WheelBuilder {
    pub fn new(name: &str, version: &str) -> Self {
        Self {
            name: name.to_owned(),
            version: version.to_owned(),
            tag: "py3-none-any".to_owned(),
            root_is_purelib: true,
            files: Vec::new(),
            unrecorded: Vec::new(),
            tampered: Vec::new(),
        }
    }

    pub fn tag(mut self, tag: &str) -> Self {
        self.tag = tag.to_owned();
        self
    }

    pub fn file(mut self, path: &str, content: &str) -> Self {
        self.files.push((path.to_owned(), content.as_bytes().to_vec(), 0o644));
        self
    }

    pub fn executable(mut self, path: &str, content: &str) -> Self {
        self.files.push((path.to_owned(), content.as_bytes().to_vec(), 0o755));
        self
    }

    /// A member that is in the archive but not in `RECORD`.
    pub fn unrecorded(mut self, path: &str, content: &str) -> Self {
        self.unrecorded.push((path.to_owned(), content.as_bytes().to_vec()));
        self
    }

    /// Record a wrong hash for `path`.
    pub fn tamper(mut self, path: &str) -> Self {
        self.tampered.push(path.to_owned());
        self
    }

    pub fn entry_points(self, text: &str) -> Self {
        let path = format!("{}/entry_points.txt", self.dist_info());
        self.file(&path, text)
    }

    pub fn dist_info(&self) -> String {
        format!("{}-{}.dist-info", self.name, self.version)
    }

    pub fn filename(&self) -> String {
        format!("{}-{}-{}.whl", self.name, self.version, self.tag)
    }

    /// Write the wheel into `dir` and return its path.
    pub fn build(&self, dir: &Path) -> PathBuf {
        let dist_info = self.dist_info();
        let mut files = self.files.clone();
        files.push((
            format!("{dist_info}/METADATA"),
            format!("Metadata-Version: 2.1\nName: {}\nVersion: {}\nSummary: test\n", self.name, self.version)
                .into_bytes(),
            0o644,
        ));
        files.push((
            format!("{dist_info}/WHEEL"),
            format!(
                "Wheel-Version: 1.0\nGenerator: venvoy-tests\nRoot-Is-Purelib: {}\nTag: {}\n",
                self.root_is_purelib, self.tag
            )
            .into_bytes(),
            0o644,
        ));
        let mut record = String::new();
        for (path, content, _) in &files {
            let mut digest = Sha256::digest(content).to_vec();
            if self.tampered.contains(path) {
                digest[0] ^= 0xff;
            }
            record.push_str(&format!("{path},sha256={},{}\n", encode_digest(&digest), content.len()));
        }
        record.push_str(&format!("{dist_info}/RECORD,,\n"));
        let path = dir.join(self.filename());
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (name, content, mode) in files
            .iter()
            .cloned()
            .chain(self.unrecorded.iter().map(|(p, c)| (p.clone(), c.clone(), 0o644)))
            .chain(std::iter::once((format!("{dist_info}/RECORD"), record.into_bytes(), 0o644)))
        {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .unix_permissions(mode);
            zip.start_file(name, options).unwrap();
            zip.write_all(&content).unwrap();
        }
        zip.finish().unwrap();
        path
    }
}

/// Write a zip with exactly these raw member names (for zip-slip tests).
pub fn raw_zip(path: &Path, members: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, content) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

pub fn target() -> TargetPython {
    TargetPython::cpython(3, 11, vec!["linux_x86_64".to_string()])
}

/// A scheme for a fake env at `root` whose python is `python`.
pub fn scheme(root: &Path, python: &Path) -> InstallScheme {
    let mut scheme = InstallScheme::for_venv(root, 3, 11);
    scheme.python = python.to_path_buf();
    scheme
}

/// Every regular file under `dir`, relative, sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Check that every hashed `RECORD` row matches the installed file, and
/// every file under `env` is listed; returns the RECORD paths.
pub fn check_record(dist_info: &Path, env: &Path) -> Vec<String> {
    let root = dist_info.parent().unwrap();
    let entries = venvoy_dist::parse_record(&std::fs::read(dist_info.join("RECORD")).unwrap()).unwrap();
    let mut listed = Vec::new();
    for entry in &entries {
        let path = root.join(&entry.path);
        let content = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match &entry.hash {
            Some(hash) => {
                assert_eq!(hash.algorithm, "sha256");
                assert_eq!(hash.digest, Sha256::digest(&content).to_vec(), "{}", entry.path);
                assert_eq!(entry.size, Some(content.len() as u64), "{}", entry.path);
            }
            None => assert!(entry.path.ends_with("/RECORD"), "{} has no hash", entry.path),
        }
        listed.push(std::fs::canonicalize(&path).unwrap());
    }
    for file in tree(env) {
        let path = std::fs::canonicalize(env.join(&file)).unwrap();
        assert!(listed.contains(&path), "{file} is not in RECORD");
    }
    entries.into_iter().map(|e| e.path).collect()
}
