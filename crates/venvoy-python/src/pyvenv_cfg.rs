//! Reading and writing `pyvenv.cfg`, the PEP 405 marker file of a venv.
//!
//! The format is `key = value` lines. CPython's `site.py` splits each line on
//! the first `=` and strips both sides; lines without `=` are ignored. Keys are
//! matched case-insensitively by `site.py` (`home`, `include-system-site-packages`).
//! The parser never fails on arbitrary bytes: what it cannot read, it skips.

use std::path::{Path, PathBuf};

/// The parsed contents of a `pyvenv.cfg`, keys in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PyvenvCfg {
    entries: Vec<(String, String)>,
}

impl PyvenvCfg {
    /// Parse the text of a `pyvenv.cfg`. Never fails: invalid UTF-8 is
    /// replaced, lines without `=` are skipped.
    pub fn parse(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let entries = text
            .lines()
            .filter_map(|line| {
                let (key, value) = line.split_once('=')?;
                let key = key.trim();
                (!key.is_empty()).then(|| (key.to_string(), value.trim().to_string()))
            })
            .collect();
        Self { entries }
    }

    /// Read `<env>/pyvenv.cfg`: only a regular file, and at most
    /// [`venvoy_fs::read::SMALL`] bytes (a FIFO or a huge file is an error).
    pub fn read(env_dir: &Path) -> std::io::Result<Self> {
        let path = env_dir.join("pyvenv.cfg");
        match venvoy_fs::read::read_capped(&path, venvoy_fs::read::SMALL) {
            Ok(bytes) => Ok(Self::parse(&bytes)),
            Err(venvoy_fs::read::ReadError::Io { source, .. }) => {
                Err(std::io::Error::new(source.kind(), format!("cannot read `{}`: {source}", path.display())))
            }
            Err(err) => Err(std::io::Error::new(std::io::ErrorKind::InvalidData, err.to_string())),
        }
    }

    /// The value of `key` (case-insensitive; the last one wins, as in `site.py`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// Set `key`, replacing an existing entry in place or appending.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key.to_string(), value)),
        }
    }

    /// Remove every entry for `key`.
    pub fn remove(&mut self, key: &str) {
        self.entries.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
    }

    pub fn entries(&self) -> &[(String, String)] {
        &self.entries
    }

    /// `home`: the directory of the base interpreter.
    pub fn home(&self) -> Option<PathBuf> {
        self.get("home").filter(|h| !h.is_empty()).map(PathBuf::from)
    }

    /// `version` or `version_info` (uv and virtualenv write the latter).
    pub fn version(&self) -> Option<&str> {
        self.get("version").or_else(|| self.get("version_info"))
    }

    pub fn include_system_site_packages(&self) -> bool {
        self.get("include-system-site-packages").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// `prompt`, as text: the stdlib and venvoy write it as Python's `repr()`
    /// (`'name'`), uv and virtualenv bare; both forms are read.
    pub fn prompt(&self) -> Option<String> {
        self.get("prompt").filter(|p| !p.is_empty()).map(unrepr)
    }

    /// The file's text: one `key = value` line per entry.
    pub fn render(&self) -> String {
        self.entries.iter().map(|(k, v)| format!("{k} = {v}\n")).collect()
    }
}

/// Undo Python's `repr()` of a string (`'a\'b'` → `a'b`); text that is not
/// quoted comes back as it is.
pub fn unrepr(text: &str) -> String {
    let quoted =
        text.len() >= 2 && (text.starts_with('\'') || text.starts_with('"')) && text.ends_with(&text[..1]);
    if !quoted {
        return text.to_string();
    }
    let inner = &text[1..text.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => {
                        out.push_str("\\x");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{PyvenvCfg, unrepr};

    #[test]
    fn unrepr_undoes_python_repr() {
        assert_eq!(unrepr("'env'"), "env");
        assert_eq!(unrepr("\"it's\""), "it's");
        assert_eq!(unrepr(r"'a\'b\nc\\d\x1b'"), "a'b\nc\\d\u{1b}");
        assert_eq!(unrepr("bare"), "bare");
        assert_eq!(unrepr("'"), "'");
        let cfg = PyvenvCfg::parse(b"prompt = 'my env'\n");
        assert_eq!(cfg.prompt().as_deref(), Some("my env"));
    }

    #[test]
    fn parses_like_site_py() {
        let cfg = PyvenvCfg::parse(b"home = /usr/bin\nno equals here\n include-system-site-packages=TRUE \nversion = 3.11.2\nprompt = 'a = b'\n\xff\xfe = x\n");
        assert_eq!(cfg.get("home"), Some("/usr/bin"));
        assert!(cfg.include_system_site_packages());
        assert_eq!(cfg.version(), Some("3.11.2"));
        assert_eq!(cfg.get("prompt"), Some("'a = b'"));
        assert_eq!(cfg.get("HOME"), Some("/usr/bin"));
    }

    #[test]
    fn round_trips() {
        let mut cfg = PyvenvCfg::default();
        cfg.set("home", "/x");
        cfg.set("version", "3.12.1");
        cfg.set("home", "/y");
        assert_eq!(cfg.render(), "home = /y\nversion = 3.12.1\n");
        assert_eq!(PyvenvCfg::parse(cfg.render().as_bytes()), cfg);
    }
}
