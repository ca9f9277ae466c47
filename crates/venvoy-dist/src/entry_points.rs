//! `entry_points.txt`: INI sections of `name = module:attr [extras]` lines.

use crate::ParseError;

const FILE: &str = "entry_points.txt";

/// The script sections a wheel installer turns into launchers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptKind {
    /// `[console_scripts]`
    Console,
    /// `[gui_scripts]`
    Gui,
}

impl ScriptKind {
    /// The INI section name.
    pub fn section(self) -> &'static str {
        match self {
            Self::Console => "console_scripts",
            Self::Gui => "gui_scripts",
        }
    }
}

/// One entry point: `name = module:attr [extra1, extra2]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntryPoint {
    /// The entry point (script) name.
    pub name: String,
    /// The dotted module path.
    pub module: String,
    /// The dotted attribute path inside the module, if any.
    pub attr: Option<String>,
    /// Extras in brackets, if any.
    pub extras: Vec<String>,
}

/// A parsed `entry_points.txt`: sections in file order, each with raw
/// `(name, value)` pairs. Values are checked when a section is asked for
/// with [`EntryPoints::group`] or [`EntryPoints::scripts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryPoints {
    sections: Vec<Section>,
}

/// A section name and its `(line, name, value)` entries.
type Section = (String, Vec<(usize, String, String)>);

impl EntryPoints {
    /// Parse the INI structure: `[section]` headers, `name = value` lines,
    /// `#`/`;` comments, and indented continuation lines. Bytes that are not
    /// UTF-8 are replaced.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let text = String::from_utf8_lossy(bytes);
        let mut sections: Vec<Section> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with(['#', ';']) {
                continue;
            }
            if raw.starts_with([' ', '\t']) {
                if let Some((_, _, value)) = sections.last_mut().and_then(|(_, entries)| entries.last_mut()) {
                    value.push(' ');
                    value.push_str(line);
                    continue;
                }
                return Err(ParseError::new(FILE, line_no, "continuation line without a value"));
            }
            if let Some(inner) = line.strip_prefix('[') {
                let Some(name) = inner.strip_suffix(']') else {
                    return Err(ParseError::new(FILE, line_no, "unterminated section header"));
                };
                sections.push((name.trim().to_owned(), Vec::new()));
                continue;
            }
            let Some((_, entries)) = sections.last_mut() else {
                return Err(ParseError::new(FILE, line_no, "entry before any `[section]`"));
            };
            let Some((name, value)) = line.split_once('=') else {
                return Err(ParseError::new(FILE, line_no, "expected `name = value`"));
            };
            let name = name.trim();
            if name.is_empty() {
                return Err(ParseError::new(FILE, line_no, "empty entry point name"));
            }
            entries.push((line_no, name.to_owned(), value.trim().to_owned()));
        }
        Ok(Self { sections })
    }

    /// Section names in file order.
    pub fn sections(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|(name, _)| name.as_str())
    }

    /// The entry points of one section (all sections with that name, merged),
    /// each value checked as `module[:attr] [extras]`.
    pub fn group(&self, section: &str) -> Result<Vec<EntryPoint>, ParseError> {
        self.sections
            .iter()
            .filter(|(name, _)| name == section)
            .flat_map(|(_, entries)| entries)
            .map(|(line, name, value)| parse_entry(*line, name, value))
            .collect()
    }

    /// The `[console_scripts]` or `[gui_scripts]` entries. Script names must be
    /// plain file names (no `/`, `\`, or leading `.`), since they become files.
    pub fn scripts(&self, kind: ScriptKind) -> Result<Vec<EntryPoint>, ParseError> {
        let entries = self.group(kind.section())?;
        for entry in &entries {
            let bad = entry.name.contains(['/', '\\', '\0'])
                || entry.name.starts_with('.')
                || entry.name.chars().any(char::is_control);
            if bad {
                return Err(ParseError::new(
                    FILE,
                    0,
                    format!("script name `{}` is not a plain file name", entry.name),
                ));
            }
        }
        Ok(entries)
    }
}

fn parse_entry(line: usize, name: &str, value: &str) -> Result<EntryPoint, ParseError> {
    let (reference, extras) = match value.split_once('[') {
        Some((reference, rest)) => {
            let Some(inner) = rest.trim_end().strip_suffix(']') else {
                return Err(ParseError::new(FILE, line, format!("unclosed `[` in `{value}`")));
            };
            let extras =
                inner.split(',').map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned).collect();
            (reference.trim(), extras)
        }
        None => (value, Vec::new()),
    };
    let (module, attr) = match reference.split_once(':') {
        Some((module, attr)) => (module.trim(), Some(attr.trim())),
        None => (reference.trim(), None),
    };
    if !is_dotted_identifier(module) {
        return Err(ParseError::new(FILE, line, format!("invalid module `{module}` for `{name}`")));
    }
    if let Some(attr) = attr
        && !is_dotted_identifier(attr)
    {
        return Err(ParseError::new(FILE, line, format!("invalid attribute `{attr}` for `{name}`")));
    }
    Ok(EntryPoint { name: name.to_owned(), module: module.to_owned(), attr: attr.map(str::to_owned), extras })
}

/// `a.b_c.d`: dot-separated Python identifiers (letters, digits, `_`, not
/// starting with a digit). Strict, because these end up in generated code.
pub fn is_dotted_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|part| {
            let mut chars = part.chars();
            matches!(chars.next(), Some(c) if c == '_' || c.is_alphabetic())
                && chars.all(|c| c == '_' || c.is_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_entry_points() {
        let text = "[console_scripts]\npip = pip._internal.cli.main:main\npip3 = pip._internal.cli.main:main\n\n[gui_scripts]\nw = m.sub:App.run [gui, extra2]\n; comment\n[other]\nplugin = mod\n";
        let eps = EntryPoints::parse(text.as_bytes()).unwrap();
        let console = eps.scripts(ScriptKind::Console).unwrap();
        assert_eq!(console.len(), 2);
        assert_eq!(console[0].module, "pip._internal.cli.main");
        assert_eq!(console[0].attr.as_deref(), Some("main"));
        let gui = eps.scripts(ScriptKind::Gui).unwrap();
        assert_eq!(gui[0].attr.as_deref(), Some("App.run"));
        assert_eq!(gui[0].extras, ["gui", "extra2"]);
        assert_eq!(eps.group("other").unwrap()[0].attr, None);
        assert!(eps.group("missing").unwrap().is_empty());
    }

    #[test]
    fn rejects_code_injection_and_paths() {
        let eps = EntryPoints::parse(b"[console_scripts]\nx = os;print(1):main\n").unwrap();
        assert!(eps.scripts(ScriptKind::Console).is_err());
        let eps = EntryPoints::parse(b"[console_scripts]\n../x = m:main\n").unwrap();
        assert!(eps.scripts(ScriptKind::Console).is_err());
        assert!(EntryPoints::parse(b"x = m:main\n").is_err());
        assert!(EntryPoints::parse(b"[a\n").is_err());
    }
}
