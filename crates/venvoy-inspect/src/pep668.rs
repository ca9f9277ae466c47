//! PEP 668: an interpreter whose stdlib directory holds an
//! `EXTERNALLY-MANAGED` file belongs to the system's package manager, and
//! `pip install` refuses to install into it (outside a venv). Debian 12 and
//! later, Ubuntu 23.04 and later, Fedora 38 and later mark their Python so.

use std::path::{Path, PathBuf};

use venvoy_python::Interpreter;

/// An interpreter marked as externally managed, and what its marker says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternallyManaged {
    /// The interpreter.
    pub python: PathBuf,
    /// Its `EXTERNALLY-MANAGED` file.
    pub marker: PathBuf,
    /// The marker's `Error` text, when it has one.
    pub message: Option<String>,
}

/// Whether `interpreter` (as venvoy's query found it) is externally managed.
/// An env's interpreter never is: PEP 668 does not apply inside a venv.
pub fn externally_managed(interpreter: &Interpreter) -> Option<ExternallyManaged> {
    let details = interpreter.details()?;
    if !details.externally_managed || details.is_venv {
        return None;
    }
    let marker = details.stdlib.join("EXTERNALLY-MANAGED");
    let message = marker_message(&marker);
    Some(ExternallyManaged { python: interpreter.path.clone(), marker, message })
}

/// The `Error` value of the `[externally-managed]` section of a marker
/// file (the INI format of Python's `configparser`: continuation lines are
/// indented), with its lines joined as written.
pub fn marker_message(marker: &Path) -> Option<String> {
    let text = venvoy_fs::read::read_to_string_capped(marker, venvoy_fs::read::SMALL).ok()?;
    parse_message(&text)
}

fn parse_message(text: &str) -> Option<String> {
    let mut in_section = false;
    let mut message: Option<Vec<String>> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            if message.is_some() {
                break;
            }
            in_section = trimmed.eq_ignore_ascii_case("[externally-managed]");
            continue;
        }
        if !in_section || trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let continuation = line.starts_with([' ', '\t']);
        match &mut message {
            Some(lines) if continuation => lines.push(trimmed.to_string()),
            Some(_) => break,
            None if !continuation => {
                let Some((key, value)) = trimmed.split_once(['=', ':']) else { continue };
                if key.trim().eq_ignore_ascii_case("error") {
                    let value = value.trim();
                    message = Some(if value.is_empty() { Vec::new() } else { vec![value.to_string()] });
                }
            }
            None => {}
        }
    }
    message.map(|lines| lines.join("\n")).filter(|m| !m.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_value_with_its_continuation_lines() {
        let text = "[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz, where xyz is the package.\n\n If you wish to install a non-Debian package, create a venv.\n";
        assert_eq!(
            parse_message(text).as_deref(),
            Some(
                "To install Python packages system-wide, try apt install\npython3-xyz, where xyz is the package.\nIf you wish to install a non-Debian package, create a venv."
            )
        );
    }

    #[test]
    fn other_sections_and_keys_are_ignored() {
        let text =
            "[other]\nError = no\n[externally-managed]\nError-de_DE = nein\nError = yes\n  more\nOther = x\n";
        assert_eq!(parse_message(text).as_deref(), Some("yes\nmore"));
        assert_eq!(parse_message("[externally-managed]\n"), None);
        assert_eq!(parse_message("garbage \u{0} [[["), None);
    }
}
