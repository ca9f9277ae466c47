//! `.python-version` files, in pyenv's format: one version name per line
//! (several lines or space-separated names are tried in order), `#` comments.
//!
//! The file comes from the directory tree, so it is data: each entry is a
//! version, a request like `pypy3.10`, or the name of a pyenv install, never
//! a path. An entry with `/`, a `..`/`.` name, or an absolute path is refused
//! (pyenv's CVE-2022-35861 was a version file naming `../../something`), and
//! the file is read only if it is a small regular file.

use std::path::{Path, PathBuf};

use crate::error::FindError;

/// The nearest `.python-version` at or above `dir`, and the names it lists;
/// an error when it cannot be read or lists something that is not a name.
pub fn find_version_file(dir: &Path) -> Option<Result<(PathBuf, Vec<String>), FindError>> {
    for d in dir.ancestors() {
        let file = d.join(".python-version");
        match venvoy_fs::read::read_capped(&file, venvoy_fs::read::SMALL) {
            Ok(bytes) => return Some(read(&file, &bytes).map(|names| (file, names))),
            Err(err) if err.is_not_found() => continue,
            Err(err) => return Some(Err(FindError::UnreadableVersionFile(err))),
        }
    }
    None
}

/// The names in the version file `file` holding `bytes`, refusing any entry
/// that is not a plain name.
pub fn read(file: &Path, bytes: &[u8]) -> Result<Vec<String>, FindError> {
    let names = parse(bytes);
    match names.iter().find(|n| !is_plain_name(n)) {
        Some(bad) => Err(FindError::BadVersionFile { file: file.to_path_buf(), name: bad.clone() }),
        None => Ok(names),
    }
}

/// Whether `name` can only mean a version or a name in pyenv's `versions`
/// directory: no `/` or `\\`, not `.` or `..`, not starting with `~`, no NUL.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.contains(['/', '\\', '\0'])
        && name != "."
        && name != ".."
        && !name.starts_with('~')
}

/// The names in a `.python-version` file, in order.
pub fn parse(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect()
}

/// The Python versions asdf (or mise, with `mise`) would use in `cwd`: the
/// nearest `.tool-versions` with a `python` line (for mise also `mise.toml`,
/// `.mise.toml` and `.config/mise.toml` `[tools] python`), else the user's
/// global file. Like `.python-version`, these files come from the directory
/// tree: only plain names are kept (asdf's `path:…` and `ref:…` entries,
/// which would need the tool itself, are left out).
pub fn tool_python_versions(cwd: &Path, home: Option<&Path>, mise: bool) -> Vec<String> {
    let local: &[&str] = if mise {
        &["mise.local.toml", "mise.toml", ".mise.toml", ".config/mise.toml", ".tool-versions"]
    } else {
        &[".tool-versions"]
    };
    for dir in cwd.ancestors() {
        for name in local {
            let found = python_versions_in(&dir.join(name));
            if !found.is_empty() {
                return found;
            }
        }
    }
    let Some(home) = home else { return Vec::new() };
    let global: Vec<PathBuf> = if mise {
        vec![home.join(".config/mise/config.toml"), home.join(".tool-versions")]
    } else {
        vec![home.join(".tool-versions")]
    };
    global.iter().map(|f| python_versions_in(f)).find(|v| !v.is_empty()).unwrap_or_default()
}

fn python_versions_in(file: &Path) -> Vec<String> {
    let Ok(text) = venvoy_fs::read::read_to_string_capped(file, venvoy_fs::read::SMALL) else {
        return Vec::new();
    };
    let names = if file.extension().is_some_and(|e| e == "toml") {
        mise_toml_python(&text)
    } else {
        tool_versions_python(&text)
    };
    names
        .into_iter()
        .filter(|n| {
            let plain = is_plain_name(n) && !n.contains(':');
            if !plain {
                tracing::debug!("{}: `{n}` is not a version name; left out", file.display());
            }
            plain
        })
        .collect()
}

/// The versions on the `python` line of a `.tool-versions` file.
pub fn tool_versions_python(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some("python")).then(|| words.map(str::to_string).collect())
        })
        .unwrap_or_default()
}

/// `[tools] python` of a `mise.toml`: a string, a list of strings or of
/// `{ version = … }` tables, or a `{ version = … }` table.
pub fn mise_toml_python(text: &str) -> Vec<String> {
    let Ok(doc) = toml_edit::Document::parse(text) else { return Vec::new() };
    let Some(item) = doc.get("tools").and_then(|t| t.get("python")) else { return Vec::new() };
    let one = |v: &toml_edit::Value| -> Option<String> {
        v.as_str()
            .map(str::to_string)
            .or_else(|| v.as_inline_table()?.get("version")?.as_str().map(str::to_string))
    };
    if let Some(list) = item.as_array() {
        return list.iter().filter_map(one).collect();
    }
    if let Some(table) = item.as_table_like()
        && let Some(v) = table.get("version").and_then(|v| v.as_str())
    {
        return vec![v.to_string()];
    }
    item.as_value().and_then(one).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn parses_pyenv_format() {
        assert_eq!(
            super::parse(b"3.12.1\n# comment\n  pypy3.10 system # trailing\n\n"),
            ["3.12.1", "pypy3.10", "system"]
        );
    }

    #[test]
    fn refuses_paths() {
        let file = Path::new("/p/.python-version");
        assert_eq!(super::read(file, b"3.12 pypy3.10 system 3.12t >=3.10\n").unwrap().len(), 5);
        for bad in ["../../../x/evil", "/usr/bin", "..", ".", "3.12/envs/x", "~/py", "a\\b"] {
            let err = super::read(file, format!("3.12\n{bad}\n").as_bytes()).unwrap_err();
            assert!(err.to_string().contains(bad), "{bad}: {err}");
        }
    }
    #[test]
    fn tool_versions_and_mise_toml() {
        assert_eq!(super::tool_versions_python("nodejs 20\npython 3.11.7 3.10 # x\n"), ["3.11.7", "3.10"]);
        assert!(super::tool_versions_python("nodejs 20\n").is_empty());
        assert_eq!(super::mise_toml_python("[tools]\npython = \"3.11\"\n"), ["3.11"]);
        assert_eq!(super::mise_toml_python("[tools]\npython = [\"3.12\", \"3.11\"]\n"), ["3.12", "3.11"]);
        assert_eq!(super::mise_toml_python("[tools]\npython = { version = \"3.10\" }\n"), ["3.10"]);
        assert_eq!(super::mise_toml_python("[tools.python]\nversion = \"3.9\"\n"), ["3.9"]);
        assert!(super::mise_toml_python("[tools\n").is_empty());
    }

    #[test]
    fn tool_files_keep_only_plain_names() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(project.join(".tool-versions"), "python ../../evil path:/opt/py 3.12\n").unwrap();
        assert_eq!(super::tool_python_versions(&project, None, false), ["3.12"]);
        // No python line in the project: the global file answers.
        std::fs::write(project.join(".tool-versions"), "nodejs 20\n").unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".config/mise")).unwrap();
        std::fs::write(home.join(".config/mise/config.toml"), "[tools]\npython = \"3.10\"\n").unwrap();
        assert_eq!(super::tool_python_versions(&project, Some(&home), true), ["3.10"]);
        assert!(super::tool_python_versions(&project, Some(&home), false).is_empty());
    }
}
