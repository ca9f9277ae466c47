//! Safe extraction of a wheel archive: every member name is checked before
//! anything is written (no `..`, no absolute paths, no symlinks, no duplicates).

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::InstallError;

/// One regular file written by [`extract`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExtractedFile {
    /// The member name (relative, `/`-separated, checked).
    pub path: String,
    /// SHA-256 of the content written.
    pub sha256: [u8; 32],
    /// Bytes written.
    pub size: u64,
    /// Whether any execute bit was set in the archive.
    pub executable: bool,
}

/// The most an archive may unpack to (sum of declared member sizes): a guard
/// against zip bombs that no real wheel comes near.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 8 << 30;

/// Why a member name is refused, or `None` if it is a safe relative path.
pub(crate) fn forbidden_reason(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("empty name");
    }
    if name.contains('\0') {
        return Some("NUL byte in name");
    }
    if name.contains('\\') {
        return Some("backslash in name");
    }
    if name.starts_with('/') {
        return Some("absolute path");
    }
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    let bytes = trimmed.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Some("drive-letter path");
    }
    for part in trimmed.split('/') {
        match part {
            "" => return Some("empty path component"),
            "." => return Some("`.` path component"),
            ".." => return Some("`..` path component (zip-slip)"),
            _ => {}
        }
    }
    None
}

/// Extract every member of `archive` (opened from `wheel`) under `dest`.
/// Directories are created as needed; regular files are hashed as written.
pub(crate) fn extract(wheel: &Path, archive: File, dest: &Path) -> Result<Vec<ExtractedFile>, InstallError> {
    let zip_err = |source| InstallError::Zip { path: wheel.to_path_buf(), source };
    let mut zip = zip::ZipArchive::new(archive).map_err(zip_err)?;
    let forbidden_entry = |entry: &str, reason| InstallError::ForbiddenEntry {
        wheel: wheel.to_path_buf(),
        entry: entry.to_owned(),
        reason,
    };

    // Check every name before writing anything.
    let mut seen = HashSet::new();
    let mut declared_total = 0u64;
    for index in 0..zip.len() {
        let member = zip.by_index_raw(index).map_err(zip_err)?;
        let name = member.name().to_owned();
        declared_total = declared_total.saturating_add(member.size());
        if declared_total > MAX_UNPACKED_BYTES {
            return Err(forbidden_entry(&name, "archive unpacks to more than 8 GiB"));
        }
        if let Some(reason) = forbidden_reason(&name) {
            return Err(forbidden_entry(&name, reason));
        }
        if member.is_symlink() {
            return Err(forbidden_entry(&name, "symbolic link"));
        }
        if !seen.insert(name.trim_end_matches('/').to_owned()) {
            return Err(forbidden_entry(&name, "duplicate entry"));
        }
    }

    let mut files = Vec::new();
    for index in 0..zip.len() {
        let mut member = zip.by_index(index).map_err(zip_err)?;
        let name = member.name().to_owned();
        let target = dest.join(&name);
        if member.is_dir() {
            std::fs::create_dir_all(&target).map_err(InstallError::io("cannot create", &target))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(InstallError::io("cannot create", parent))?;
        }
        let executable = member.unix_mode().is_some_and(|mode| mode & 0o111 != 0);
        let declared = member.size();
        let mut out = File::create_new(&target).map_err(InstallError::io("cannot create", &target))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match member.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(InstallError::Io {
                        action: "cannot read member of",
                        path: wheel.join(&name),
                        source,
                    });
                }
            };
            hasher.update(&buf[..n]);
            size += n as u64;
            if size > declared {
                return Err(forbidden_entry(&name, "member is larger than its declared size"));
            }
            out.write_all(&buf[..n]).map_err(InstallError::io("cannot write", &target))?;
        }
        set_mode(&out, if executable { 0o755 } else { 0o644 })
            .map_err(InstallError::io("cannot set permissions of", &target))?;
        files.push(ExtractedFile { path: name, sha256: hasher.finalize().into(), size, executable });
    }
    Ok(files)
}

#[cfg(unix)]
pub(crate) fn set_mode(file: &File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
pub(crate) fn set_mode(_file: &File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn accepted_names_stay_inside(name in "[a./\\\\:C\\x00]{0,12}") {
            if forbidden_reason(&name).is_none() {
                let joined = Path::new("/base").join(&name);
                let inner = joined.strip_prefix("/base").unwrap();
                prop_assert!(inner.components().all(|c| matches!(c, std::path::Component::Normal(_))), "{name:?}");
                prop_assert!(inner.components().count() > 0);
            }
        }
    }

    #[test]
    fn names() {
        for ok in ["a.py", "pkg/mod.py", "pkg/", "x-1.0.data/scripts/tool", "a..b/c"] {
            assert_eq!(forbidden_reason(ok), None, "{ok}");
        }
        for bad in [
            "",
            "../evil",
            "a/../../evil",
            "/etc/passwd",
            "C:/x",
            "a\\b",
            "a//b",
            "./a",
            "a/./b",
            "a\0b",
            "..",
        ] {
            assert!(forbidden_reason(bad).is_some(), "{bad:?}");
        }
    }
}
