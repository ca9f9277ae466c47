//! The one rule for env names in the env home, used by `create -n`, the
//! destinations of `clone` and `move`, and the resolver: whatever is
//! accepted when an env is made can be named afterwards by every command.

use std::path::Path;

use sha2::{Digest, Sha256};

/// The rule, as errors state it.
pub const RULE: &str = "a name is one word of letters, digits and `-_.+@`, not starting with `.` or `-`, at most 255 bytes (like `web` or `data-3.12`); anything else is a path and needs a `/` (like `./my env`)";

/// Whether `name` is an env name: one path component of letters, digits and
/// `-_.+@`, not starting with `.` or `-` (so never a flag, a hidden directory,
/// `.`/`..`, or a path), at most 255 bytes.
pub fn is_valid(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with(['.', '-'])
        && name.chars().all(|c| c.is_alphanumeric() || "-_.+@".contains(c))
}

/// The name of a project's env kept in the env home: the project directory's
/// name (made to fit the rule) and 8 hex digits of the sha256 of its absolute
/// path, so two projects both called `api` get different envs.
pub fn for_project(project: &Path) -> String {
    let base: String = project
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.+@".contains(c) { c } else { '-' })
        .collect();
    let base = base.trim_start_matches(['.', '-']);
    // Leave room for `-` and the digest within 255 bytes.
    let mut short = String::new();
    for c in base.chars() {
        if short.len() + c.len_utf8() > 200 {
            break;
        }
        short.push(c);
    }
    if short.is_empty() {
        short.push_str("project");
    }
    let digest = Sha256::digest(project.as_os_str().as_encoded_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{short}-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        for good in ["web", "data-3.12", "a_b", "x+y@2", "été", "py3.13"] {
            assert!(is_valid(good), "{good}");
        }
        for bad in ["", ".", "..", ".hidden", "-x", "my env", "a/b", "~", "~x", "a\tb", "$(x)", "a:b"] {
            assert!(!is_valid(bad), "{bad}");
        }
        assert!(is_valid(&"a".repeat(255)));
        assert!(!is_valid(&"a".repeat(256)));
    }

    #[test]
    fn project_names_fit_the_rule_and_differ_by_path() {
        let a = for_project(Path::new("/src/api"));
        let b = for_project(Path::new("/work/api"));
        assert!(a.starts_with("api-") && b.starts_with("api-") && a != b, "{a} {b}");
        assert_eq!(a, for_project(Path::new("/src/api")));
        for p in ["/x/my project", "/x/.hidden", "/", "/x/---", &format!("/x/{}", "é".repeat(300))] {
            let n = for_project(Path::new(p));
            assert!(is_valid(&n), "{p} -> {n}");
        }
        assert!(for_project(Path::new("/x/my project")).starts_with("my-project-"));
    }
}
