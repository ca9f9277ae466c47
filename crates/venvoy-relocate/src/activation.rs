//! Activation scripts for an env at its new place: rendered again by
//! venvoy-shell (never text-patched), with the prompt the env had.

use std::collections::HashMap;
use std::path::Path;

use venvoy_python::PyvenvCfg;
use venvoy_shell::{ActivationConfig, render_all};

/// Every activation script for the env at `root`, by file name.
pub fn render(
    root: &Path,
    bin_dir_name: &str,
    cfg: &PyvenvCfg,
    relocatable: bool,
) -> HashMap<String, Vec<u8>> {
    let prompt = prompt(cfg, root);
    let config = ActivationConfig { env_dir: root, bin_dir_name, prompt: &prompt, relocatable };
    render_all(&config).into_iter().collect()
}

/// The env's prompt: `pyvenv.cfg`'s `prompt` (Python's `repr`, as venv and
/// venvoy write it; virtualenv writes it bare), else the directory's name.
pub fn prompt(cfg: &PyvenvCfg, root: &Path) -> String {
    match cfg.get("prompt") {
        Some(p) if !p.is_empty() => py_unrepr(p).unwrap_or_else(|| p.to_string()),
        _ => root.file_name().map_or_else(|| "venv".to_string(), |n| n.to_string_lossy().into_owned()),
    }
}

/// Whether `pyvenv.cfg` says the env is relocatable.
pub fn is_relocatable(cfg: &PyvenvCfg) -> bool {
    cfg.get("relocatable").is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The string a Python `repr()` stands for; `None` if it is not one.
fn py_unrepr(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts() {
        let root = Path::new("/envs/web");
        assert_eq!(prompt(&PyvenvCfg::parse(b"prompt = 'my env'\n"), root), "my env");
        assert_eq!(prompt(&PyvenvCfg::parse(b"prompt = \"it's\"\n"), root), "it's");
        assert_eq!(prompt(&PyvenvCfg::parse(b"prompt = 'a\\\\b\\x01'\n"), root), "a\\b\u{1}");
        assert_eq!(prompt(&PyvenvCfg::parse(b"prompt = bare\n"), root), "bare");
        assert_eq!(prompt(&PyvenvCfg::parse(b"home = /usr\n"), root), "web");
        assert!(is_relocatable(&PyvenvCfg::parse(b"relocatable = true\n")));
    }
}
