//! The nearest `pyproject.toml` and its `requires-python`, the constraint
//! the default interpreter must meet.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use pep440_rs::VersionSpecifiers;

/// `requires-python` of the nearest `pyproject.toml` at or above a directory.
#[derive(Debug, Clone)]
pub struct RequiresPython {
    pub file: PathBuf,
    /// The specifiers as written (`>=3.8,<3.11`).
    pub text: String,
    pub specifiers: VersionSpecifiers,
}

/// The nearest `pyproject.toml` at or above `dir` that can be read, and its
/// `[project] requires-python`: `None` when there is no such file, or the
/// nearest one sets no (valid) `requires-python`. A file that is not TOML
/// or a specifier that does not parse is ignored, with a debug log.
pub fn requires_python(dir: &Path) -> Option<RequiresPython> {
    let file = dir.ancestors().map(|d| d.join("pyproject.toml")).find(|f| f.is_file())?;
    let text = match venvoy_fs::read::read_to_string_capped(&file, venvoy_fs::read::METADATA) {
        Ok(text) => text,
        Err(err) => {
            tracing::debug!("ignoring `{}`: {err}", file.display());
            return None;
        }
    };
    let doc = match toml_edit::Document::parse(text) {
        Ok(doc) => doc,
        Err(err) => {
            tracing::debug!("ignoring `{}`: {err}", file.display());
            return None;
        }
    };
    let value = doc.get("project")?.get("requires-python")?.as_str()?.trim().to_string();
    match VersionSpecifiers::from_str(&value) {
        Ok(specifiers) => Some(RequiresPython { file, text: value, specifiers }),
        Err(err) => {
            tracing::debug!("ignoring `requires-python = {value:?}` in `{}`: {err}", file.display());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_nearest_project() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert!(requires_python(&sub).is_none());
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = 'x'\nrequires-python = '>=3.8, <3.11'\n",
        )
        .unwrap();
        let found = requires_python(&sub).unwrap();
        assert_eq!(found.text, ">=3.8, <3.11");
        assert!(found.specifiers.contains(&"3.10.2".parse().unwrap()));
        assert!(!found.specifiers.contains(&"3.11.0".parse().unwrap()));
        // The nearest file wins, even without the key.
        std::fs::write(dir.path().join("a/pyproject.toml"), "[tool.x]\ny = 1\n").unwrap();
        assert!(requires_python(&sub).is_none());
        std::fs::write(dir.path().join("a/pyproject.toml"), "not = [toml").unwrap();
        assert!(requires_python(&sub).is_none());
        std::fs::write(dir.path().join("a/pyproject.toml"), "project.requires-python = \">=3.12\"\n")
            .unwrap();
        assert_eq!(requires_python(&sub).unwrap().text, ">=3.12");
    }
}
