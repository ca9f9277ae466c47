//! Whether a `pyvenv.cfg` is usable: `site.py` needs an absolute `home`.

use venvoy_python::PyvenvCfg;

/// Why a `pyvenv.cfg` is malformed, or `None` when it is fine.
pub fn malformed_reason(bytes: &[u8], cfg: &PyvenvCfg) -> Option<String> {
    if std::str::from_utf8(bytes).is_err() {
        return Some("it is not valid UTF-8".into());
    }
    let Some(home) = cfg.get("home") else {
        return Some("it has no `home` key".into());
    };
    if home.is_empty() {
        return Some("its `home` is empty".into());
    }
    if !std::path::Path::new(home).is_absolute() {
        return Some(format!("its `home` (`{home}`) is not an absolute path"));
    }
    let text = String::from_utf8_lossy(bytes);
    let stray =
        text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#') && !l.contains('='));
    stray.map(|line| {
        let shown: String = line.chars().take(40).collect();
        format!("the line `{shown}` is not `key = value`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(text: &[u8]) -> Option<String> {
        malformed_reason(text, &PyvenvCfg::parse(text))
    }

    #[test]
    fn reasons() {
        assert_eq!(reason(b"home = /usr/bin\nversion = 3.12.1\n"), None);
        assert!(reason(b"version = 3.12.1\n").unwrap().contains("no `home`"));
        assert!(reason(b"home = bin\n").unwrap().contains("not an absolute"));
        assert!(reason(b"home = /usr/bin\ngarbage\n").unwrap().contains("garbage"));
        assert!(reason(b"home = /usr/bin\n\xff\n").unwrap().contains("UTF-8"));
    }
}
