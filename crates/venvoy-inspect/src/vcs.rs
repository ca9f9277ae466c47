//! The requirement `pip freeze` prints for an editable install: the project
//! directory, or `git+URL@COMMIT#egg=NAME` when it is a git checkout with a
//! remote. Read from `.git` on disk; git is not run.

use std::path::{Path, PathBuf};

/// `(comment lines, requirement)` for an editable install at `location`.
/// `pinned` is `name==version`, shown in the comment.
pub fn editable_requirement(location: &Path, name: &str, pinned: &str) -> (Vec<String>, String) {
    let location_text = location.display().to_string();
    let Some(git_dir) = find_git_dir(location) else {
        return (vec![format!("# Editable install with no version control ({pinned})")], location_text);
    };
    let repo_root = git_dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let real_git_dir = resolve_gitfile(&git_dir);
    let Some(url) = remote_url(&real_git_dir) else {
        return (vec![format!("# Editable Git install with no remote ({pinned})")], location_text);
    };
    let url = if url.contains("://") {
        url
    } else if Path::new(&url).exists() {
        venvoy_dist::direct_url::path_to_file_url(Path::new(&url))
    } else if let Some((host, path)) = url.split_once(':') {
        format!("ssh://{host}/{path}")
    } else {
        return (
            vec![
                format!(
                    "# Editable Git install ({pinned}) with either a deleted local remote or invalid URI:"
                ),
                format!("# '{url}'"),
            ],
            location_text,
        );
    };
    let Some(commit) = head_commit(&real_git_dir) else {
        return (vec!["## !! Could not determine repository location".into()], location_text);
    };
    let url = if url.to_lowercase().starts_with("git:") { url } else { format!("git+{url}") };
    let mut req = format!("{url}@{commit}#egg={}", name.replace('-', "_"));
    if let Some(sub) = project_subdir(location, &repo_root) {
        req.push_str(&format!("&subdirectory={sub}"));
    }
    (Vec::new(), req)
}

fn find_git_dir(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|d| d.join(".git")).find(|g| g.exists())
}

/// A `.git` file (worktrees, submodules) says `gitdir: PATH`.
fn resolve_gitfile(git: &Path) -> PathBuf {
    if git.is_file()
        && let Ok(text) = std::fs::read_to_string(git)
        && let Some(dir) = text.trim().strip_prefix("gitdir:")
    {
        return git.parent().unwrap_or(Path::new("/")).join(dir.trim());
    }
    git.to_path_buf()
}

/// `remote.origin.url`, else the first remote's URL.
fn remote_url(git_dir: &Path) -> Option<String> {
    let config = std::fs::read_to_string(git_dir.join("config"))
        .or_else(|_| std::fs::read_to_string(common_dir(git_dir).join("config")))
        .ok()?;
    let mut remotes: Vec<(String, String)> = Vec::new();
    let mut section: Option<String> = None;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.strip_prefix("[remote \"").and_then(|r| r.strip_suffix("\"]")).map(str::to_string);
        } else if let (Some(remote), Some((key, value))) = (&section, line.split_once('='))
            && key.trim().eq_ignore_ascii_case("url")
        {
            remotes.push((remote.clone(), value.trim().to_string()));
        }
    }
    remotes.iter().find(|(r, _)| r == "origin").or(remotes.first()).map(|(_, u)| u.clone())
}

fn common_dir(git_dir: &Path) -> PathBuf {
    std::fs::read_to_string(git_dir.join("commondir"))
        .map(|c| git_dir.join(c.trim()))
        .unwrap_or_else(|_| git_dir.to_path_buf())
}

fn head_commit(git_dir: &Path) -> Option<String> {
    let head = std::fs::read_to_string(git_dir.join("HEAD")).ok()?;
    let head = head.trim();
    let Some(reference) = head.strip_prefix("ref:").map(str::trim) else {
        return Some(head.to_string());
    };
    let common = common_dir(git_dir);
    for dir in [git_dir, common.as_path()] {
        if let Ok(sha) = std::fs::read_to_string(dir.join(reference)) {
            return Some(sha.trim().to_string());
        }
    }
    let packed = std::fs::read_to_string(common.join("packed-refs")).ok()?;
    packed.lines().find_map(|l| {
        let (sha, name) = l.split_once(' ')?;
        (name.trim() == reference).then(|| sha.to_string())
    })
}

/// The project's directory relative to the repository root (pip looks for
/// the nearest `setup.py` or `pyproject.toml` upward from `location`).
fn project_subdir(location: &Path, repo_root: &Path) -> Option<String> {
    let project = location
        .ancestors()
        .take_while(|d| d.starts_with(repo_root))
        .find(|d| d.join("setup.py").exists() || d.join("pyproject.toml").exists())?;
    let rel = project.strip_prefix(repo_root).ok()?;
    (!rel.as_os_str().is_empty()).then(|| rel.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_quoted_like_pathname2url() {
        // A local remote's path, as pip quotes it (`pathname2url`).
        let url = venvoy_dist::direct_url::path_to_file_url(Path::new("/a b/c+d/é"));
        assert_eq!(url, "file:///a%20b/c%2Bd/%C3%A9");
    }

    #[test]
    fn no_git_means_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (comments, req) = editable_requirement(dir.path(), "x", "x==1");
        // The temp dir may sit inside a git checkout on some machines.
        if find_git_dir(dir.path()).is_none() {
            assert_eq!(comments, ["# Editable install with no version control (x==1)"]);
            assert_eq!(req, dir.path().display().to_string());
        }
    }
}
