//! Activation scripts for an env at its new place: rendered again by
//! venvoy-shell (never text-patched), with the prompt the env had.

use std::collections::HashMap;
use std::path::Path;

use venvoy_python::PyvenvCfg;
use venvoy_shell::{ActivationConfig, EnvVars, render_all};

/// Every activation script for the env at `root`, by file name, carrying
/// the variables of the env at `vars_from` (`venvoy env set`; the same env,
/// or the one it is copied from). A variables file that cannot be read
/// carries none; `venvoy env list` reports it.
pub fn render(
    root: &Path,
    bin_dir_name: &str,
    cfg: &PyvenvCfg,
    relocatable: bool,
    vars_from: &Path,
) -> HashMap<String, Vec<u8>> {
    let prompt = prompt(cfg, root);
    let vars = EnvVars::load(vars_from).unwrap_or_default();
    let config = ActivationConfig { env_dir: root, bin_dir_name, prompt: &prompt, relocatable, vars: &vars };
    render_all(&config).into_iter().collect()
}

/// The env's prompt: `pyvenv.cfg`'s `prompt` (Python's `repr`, as venv and
/// venvoy write it; virtualenv writes it bare), else the directory's name.
pub fn prompt(cfg: &PyvenvCfg, root: &Path) -> String {
    cfg.prompt().unwrap_or_else(|| {
        root.file_name().map_or_else(|| "venv".to_string(), |n| n.to_string_lossy().into_owned())
    })
}

/// Whether `pyvenv.cfg` says the env is relocatable.
pub fn is_relocatable(cfg: &PyvenvCfg) -> bool {
    cfg.get("relocatable").is_some_and(|v| v.eq_ignore_ascii_case("true"))
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
