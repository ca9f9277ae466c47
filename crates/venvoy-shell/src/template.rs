//! Filling templates: one pass that swaps `__VENVOY_NAME__` placeholders for
//! already-quoted values.
//!
//! The single pass matters: a value that itself contains a placeholder's
//! spelling is copied as-is and never substituted again.

const OPEN: &str = "__VENVOY_";

/// Replace every `__VENVOY_NAME__` in `template` by `lookup("NAME")`.
///
/// Panics (a bug in this crate, caught by its tests) when a placeholder has
/// no value.
pub(crate) fn fill<'a>(template: &str, mut lookup: impl FnMut(&str) -> Option<&'a [u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find(OPEN) {
        out.extend_from_slice(&rest.as_bytes()[..start]);
        let after = &rest[start + OPEN.len()..];
        let run =
            after.bytes().take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_').count();
        let token = &after[..run];
        let Some(name) = token.strip_suffix("__").filter(|n| !n.is_empty()) else {
            // Not a placeholder after all: copy the opening and go on.
            out.extend_from_slice(OPEN.as_bytes());
            rest = after;
            continue;
        };
        match lookup(name) {
            Some(value) => out.extend_from_slice(value),
            None => panic!("template placeholder __VENVOY_{name}__ has no value"),
        }
        rest = &after[run..];
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// Every placeholder name used in `template`, in order of appearance.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let _ = fill(template, |name| {
        names.push(name.to_owned());
        Some(b"")
    });
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_not_substituted_again() {
        let out = fill("a=__VENVOY_A__ b=__VENVOY_B__", |name| match name {
            "A" => Some(b"__VENVOY_B__".as_slice()),
            "B" => Some(b"2".as_slice()),
            _ => None,
        });
        assert_eq!(out, b"a=__VENVOY_B__ b=2");
    }

    #[test]
    fn lone_prefix_is_copied() {
        let out = fill("x __VENVOY_ y __VENVOY_lower__", |_| None);
        assert_eq!(out, b"x __VENVOY_ y __VENVOY_lower__");
    }

    #[test]
    fn lists_placeholders() {
        assert_eq!(placeholders("__VENVOY_X__ and __VENVOY_Y_Z__"), ["X", "Y_Z"]);
    }
}
