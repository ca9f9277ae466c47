//! Distribution names: PEP 503 normalisation and PEP 508 validity.

/// Normalise a distribution name as PEP 503 says: lowercase, and every run of
/// `-`, `_` and `.` becomes a single `-`. `Foo.Bar__baz` becomes `foo-bar-baz`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
            in_run = false;
        }
    }
    out
}

/// The form of a name used in wheel and `.dist-info` file names (PEP 427, as
/// pip and uv write it): normalised, with `_` in place of `-`.
pub fn dist_info_name(name: &str) -> String {
    normalize_name(name).replace('-', "_")
}

/// Whether `name` is a valid distribution name (PEP 508): ASCII letters, digits,
/// `.`, `_` and `-`, starting and ending with a letter or digit.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_examples() {
        for name in [
            "friendly-bard",
            "Friendly-Bard",
            "FRIENDLY-BARD",
            "friendly.bard",
            "friendly_bard",
            "friendly--bard",
            "FrIeNdLy-._.-bArD",
        ] {
            assert_eq!(normalize_name(name), "friendly-bard", "{name}");
        }
        assert_eq!(dist_info_name("Foo.Bar"), "foo_bar");
        assert_eq!(normalize_name("Ärger_Ölig.Ω"), "ärger-ölig-ω");
    }

    #[test]
    fn validity() {
        assert!(is_valid_name("pip"));
        assert!(is_valid_name("zope.interface"));
        assert!(is_valid_name("A"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("-pip"));
        assert!(!is_valid_name("pip-"));
        assert!(!is_valid_name("p i p"));
        assert!(!is_valid_name("../x"));
    }
}
