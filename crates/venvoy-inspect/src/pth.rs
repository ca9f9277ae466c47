//! `.pth` files: the directories `site.py` appends to `sys.path` from them.

use std::path::{Path, PathBuf};

use venvoy_fs::path::normalize;

/// The directories the `.pth` files of `site_dir` add, in the order
/// `site.py` adds them: files sorted by name, hidden files skipped, lines
/// starting with `import` executed (not paths), `#` comments skipped, and
/// only directories that exist.
pub fn pth_dirs(site_dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(site_dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.ends_with(".pth") && !n.starts_with('.')))
        .map(|e| e.path())
        .collect();
    files.sort();
    pth_dirs_from(site_dir, &files)
}

/// [`pth_dirs`] for `.pth` files already listed (sorted, not hidden).
pub fn pth_dirs_from(site_dir: &Path, files: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for file in files {
        let Ok(bytes) = venvoy_fs::read_capped(file, venvoy_fs::read::METADATA) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if line.starts_with("import ") || line.starts_with("import\t") {
                continue;
            }
            let dir = normalize(&site_dir.join(line.trim_end()));
            if dir.exists() && !out.iter().any(|(d, _)| *d == dir) {
                out.push((dir, file.clone()));
            }
        }
    }
    out
}
