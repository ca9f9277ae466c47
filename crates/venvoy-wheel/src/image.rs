//! The unpacked image of one wheel: its files, checked against the wheel's
//! `RECORD`, and a manifest of their hashes that later detects corruption.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use venvoy_dist::name::normalize_name;
use venvoy_dist::record::{decode_digest, encode_digest};
use venvoy_dist::{WheelFilename, WheelInfo, parse_record};

use crate::InstallError;
use crate::archive::ExtractedFile;
use crate::hash::{digest_for, sha256_file};

const MANIFEST_FORMAT: u32 = 1;

/// One file of the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFile {
    /// Path inside the wheel, `/`-separated.
    pub path: String,
    /// SHA-256, URL-safe base64 without padding (the `RECORD` encoding).
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Whether the file is executable.
    pub executable: bool,
    /// Its modification time (ns since the epoch) when it was last hashed
    /// and found intact; see [`Manifest::trusted_at_ns`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mtime_ns: Option<i128>,
}

/// What the cache knows about an unpacked wheel, stored as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version of this manifest.
    pub format: u32,
    /// The wheel file name it was unpacked from.
    pub wheel: String,
    /// Distribution name from the wheel file name.
    pub name: String,
    /// Version from the wheel file name.
    pub version: String,
    /// The `.dist-info` directory name.
    pub dist_info: String,
    /// Whether the archive root is purelib (`Root-Is-Purelib`).
    pub root_is_purelib: bool,
    /// Every regular file, in archive order.
    pub files: Vec<ImageFile>,
    /// When every file was last hashed and found intact, all of them
    /// modified at least 2 s before. While a file still has
    /// that size and modification time it is not hashed again: any write to
    /// it (through a hardlink too) moves its mtime past this point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_at_ns: Option<i128>,
}

/// How much older than the check a file's mtime must be for the check to
/// vouch for it: far more than any file system's timestamp granularity.
const TRUST_MARGIN_NS: i128 = 2_000_000_000;

fn mtime_ns(meta: &std::fs::Metadata) -> Option<i128> {
    let t = meta.modified().ok()?;
    Some(match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    })
}

fn now_ns() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128)
}

impl Manifest {
    /// The `.data` directory name, `<name>-<version>.data` (same stem as the dist-info).
    pub fn data_dir(&self) -> String {
        let stem = self.dist_info.strip_suffix(".dist-info").unwrap_or(&self.dist_info);
        format!("{stem}.data")
    }

    /// Build the manifest of freshly extracted files (under `files_dir`),
    /// checking the wheel's structure and every file against its `RECORD`.
    pub(crate) fn build(
        wheel: &Path,
        filename: &WheelFilename,
        files_dir: &Path,
        extracted: &[ExtractedFile],
    ) -> Result<Self, InstallError> {
        let invalid = |reason: String| InstallError::InvalidWheel { wheel: wheel.to_path_buf(), reason };
        let mut dist_infos: Vec<&str> = extracted
            .iter()
            .filter_map(|f| f.path.split_once('/').map(|(top, _)| top))
            .filter(|top| top.ends_with(".dist-info"))
            .collect();
        dist_infos.sort_unstable();
        dist_infos.dedup();
        let dist_info = match dist_infos.as_slice() {
            [one] => (*one).to_owned(),
            [] => return Err(invalid("no `.dist-info` directory".to_owned())),
            many => return Err(invalid(format!("several `.dist-info` directories: {}", many.join(", ")))),
        };
        let stem = dist_info.strip_suffix(".dist-info").unwrap_or(&dist_info);
        let info_name = stem.rsplit_once('-').map_or(stem, |(name, _)| name);
        if normalize_name(info_name) != filename.normalized_name() {
            return Err(invalid(format!(
                "`{dist_info}` does not match the distribution name `{}`",
                filename.name
            )));
        }

        let read_member = |member: &str| -> Result<Vec<u8>, InstallError> {
            let path = files_dir.join(member);
            std::fs::read(&path).map_err(|_| invalid(format!("missing `{member}`")))
        };
        let metadata_err =
            |file: String| move |source| InstallError::Metadata { wheel: wheel.to_path_buf(), file, source };

        let wheel_member = format!("{dist_info}/WHEEL");
        let info = WheelInfo::parse(&read_member(&wheel_member)?).map_err(metadata_err(wheel_member))?;
        if info.wheel_version.0 != 1 {
            return Err(invalid(format!(
                "Wheel-Version {}.{} is not supported (only 1.x)",
                info.wheel_version.0, info.wheel_version.1
            )));
        }

        if info.wheel_version.1 > 0 {
            tracing::warn!(
                "{} has Wheel-Version {}.{}, newer than 1.0; installing anyway",
                wheel.display(),
                info.wheel_version.0,
                info.wheel_version.1
            );
        }

        let record_member = format!("{dist_info}/RECORD");
        let record =
            parse_record(&read_member(&record_member)?).map_err(metadata_err(record_member.clone()))?;
        let by_path: HashMap<&str, &venvoy_dist::RecordEntry> =
            record.iter().map(|e| (e.path.as_str(), e)).collect();
        let signatures = [format!("{dist_info}/RECORD.jws"), format!("{dist_info}/RECORD.p7s")];
        for file in extracted {
            if file.path == record_member || signatures.contains(&file.path) {
                continue;
            }
            let entry = by_path.get(file.path.as_str()).copied();
            let Some(hash) = entry.and_then(|e| e.hash.as_ref()) else {
                return Err(InstallError::NotInRecord {
                    wheel: wheel.to_path_buf(),
                    entry: file.path.clone(),
                });
            };
            let mismatch = |detail: String| InstallError::RecordMismatch {
                wheel: wheel.to_path_buf(),
                entry: file.path.clone(),
                detail,
            };
            let actual = if hash.algorithm == "sha256" {
                file.sha256.to_vec()
            } else {
                digest_for(&hash.algorithm, &files_dir.join(&file.path))?
                    .ok_or_else(|| mismatch(format!("hash algorithm `{}` is not allowed", hash.algorithm)))?
            };
            if actual != hash.digest {
                return Err(mismatch(format!(
                    "RECORD says {hash}, content is {}={}",
                    hash.algorithm,
                    encode_digest(&actual)
                )));
            }
            if let Some(size) = entry.and_then(|e| e.size)
                && size != file.size
            {
                return Err(mismatch(format!("RECORD says {size} bytes, content is {}", file.size)));
            }
        }

        Ok(Self {
            format: MANIFEST_FORMAT,
            wheel: filename.to_string(),
            name: filename.name.clone(),
            version: filename.version.clone(),
            dist_info,
            root_is_purelib: info.root_is_purelib,
            files: extracted
                .iter()
                .map(|f| ImageFile {
                    path: f.path.clone(),
                    sha256: encode_digest(&f.sha256),
                    size: f.size,
                    executable: f.executable,
                    mtime_ns: None,
                })
                .collect(),
            trusted_at_ns: None,
        })
    }

    /// Load `manifest.json`; `None` if it is missing or unreadable.
    pub(crate) fn load(path: &Path) -> Option<Self> {
        let bytes = std::fs::read(path).ok()?;
        let manifest: Self = serde_json::from_slice(&bytes).ok()?;
        (manifest.format == MANIFEST_FORMAT).then_some(manifest)
    }

    /// Whether every file under `dir/files` still has its recorded size and
    /// hash. Files unchanged (size and mtime) since the last full check are
    /// not hashed again; after a full check that finds everything intact, the
    /// manifest at `dir/manifest.json` is rewritten with the new trust point.
    pub(crate) fn verify(&self, dir: &Path) -> bool {
        let files_dir = dir.join("files");
        let started = now_ns();
        let mut all_trusted = self.trusted_at_ns.is_some();
        let mut restamp = true;
        let mut mtimes = Vec::with_capacity(self.files.len());
        for file in &self.files {
            let path = files_dir.join(&file.path);
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_file() && meta.len() == file.size => meta,
                _ => return false,
            };
            let mtime = mtime_ns(&meta);
            mtimes.push(mtime);
            let vouched = match (self.trusted_at_ns, file.mtime_ns, mtime) {
                (Some(trusted), Some(recorded), Some(now)) => {
                    recorded == now && now + TRUST_MARGIN_NS <= trusted
                }
                _ => false,
            };
            if vouched {
                continue;
            }
            all_trusted = false;
            let Some(expected) = decode_digest(&file.sha256) else {
                return false;
            };
            if !matches!(sha256_file(&path), Ok((digest, _)) if digest[..] == expected[..]) {
                return false;
            }
            restamp &= mtime.is_some_and(|m| m + TRUST_MARGIN_NS <= started);
        }
        if !all_trusted && restamp {
            let mut stamped = self.clone();
            for (file, mtime) in stamped.files.iter_mut().zip(mtimes) {
                file.mtime_ns = mtime;
            }
            stamped.trusted_at_ns = Some(started);
            stamped.store(&dir.join("manifest.json"));
        }
        true
    }

    /// Replace the manifest file atomically; a failure only costs a re-hash next time.
    fn store(&self, path: &Path) {
        let Ok(json) = serde_json::to_vec_pretty(self) else { return };
        let written = venvoy_fs::write_atomic(path, &json);
        if let Err(err) = written {
            tracing::debug!("cannot update `{}`: {err}", path.display());
        }
    }
}
