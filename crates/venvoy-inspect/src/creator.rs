//! Which tool made a venv, from the keys it wrote into `pyvenv.cfg`.

use venvoy_python::PyvenvCfg;

/// The tool that created a venv and, when it says, its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creator {
    /// `venvoy`, `uv`, `virtualenv` or `venv` (the stdlib's).
    pub tool: &'static str,
    pub version: Option<String>,
}

/// Read the creator from `pyvenv.cfg`: venvoy, uv and virtualenv write a key
/// named after themselves; the stdlib's `venv` writes none of those.
pub fn creator_of(cfg: &PyvenvCfg) -> Option<Creator> {
    for tool in ["venvoy", "uv", "virtualenv"] {
        if let Some(version) = cfg.get(tool) {
            return Some(Creator { tool, version: Some(version.to_string()).filter(|v| !v.is_empty()) });
        }
    }
    cfg.get("home").is_some().then(|| Creator { tool: "venv", version: cfg.version().map(str::to_string) })
}

impl std::fmt::Display for Creator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.version, self.tool) {
            (Some(v), "venv") => write!(f, "venv (Python {v}'s stdlib)"),
            (Some(v), tool) => write!(f, "{tool} {v}"),
            (None, tool) => f.write_str(tool),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools() {
        let tool = |t: &str| creator_of(&PyvenvCfg::parse(t.as_bytes())).map(|c| c.tool);
        assert_eq!(tool("home = /x\nvenvoy = 0.1.0\n"), Some("venvoy"));
        assert_eq!(tool("home = /x\nuv = 0.5.1\n"), Some("uv"));
        assert_eq!(tool("home = /x\nvirtualenv = 20.26\n"), Some("virtualenv"));
        assert_eq!(tool("home = /x\nversion = 3.12.1\n"), Some("venv"));
        assert_eq!(tool(""), None);
    }
}
