//! Rendering every activation script of an env from its template.
//!
//! Each shell has a submodule with one `render` function. When a value
//! cannot be written in a shell's syntax, that shell's file becomes a short
//! script that refuses to activate with a message (see [`Refusal`]); every
//! other file is unaffected.

mod cmd;
mod csh;
mod fish;
mod nu;
mod posix;
mod powershell;
mod python;
mod xonsh;

use std::borrow::Cow;

use crate::ActivationConfig;
use crate::quote::Unrepresentable;

/// Why one shell's script refuses to activate; rendered in that shell's
/// syntax as an error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) shell: &'static str,
    pub(crate) reason: String,
}

impl Refusal {
    pub(crate) fn message(&self) -> String {
        format!("venvoy: this environment cannot be activated from {}: {}", self.shell, self.reason)
    }
}

impl From<Unrepresentable> for Refusal {
    fn from(u: Unrepresentable) -> Self {
        let what = u.reason.strip_prefix("it ").unwrap_or(u.reason);
        Refusal { shell: u.shell, reason: format!("its path or prompt {what}") }
    }
}

const NOT_UTF8: &str = "its path is not valid UTF-8";

/// The env dir as text, for every shell but POSIX sh, which takes bytes.
pub(crate) fn env_dir_str<'a>(cfg: &ActivationConfig<'a>, shell: &'static str) -> Result<&'a str, Refusal> {
    cfg.env_dir.to_str().ok_or_else(|| Refusal { shell, reason: NOT_UTF8.to_owned() })
}

/// The env dir's raw bytes (lossy text off Unix, where paths are UTF-16).
pub(crate) fn env_dir_bytes<'a>(cfg: &ActivationConfig<'a>) -> Cow<'a, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Cow::Borrowed(cfg.env_dir.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        match cfg.env_dir.to_string_lossy() {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        }
    }
}

/// Turn LF line ends into CRLF (for `.bat` files).
/// Fill a template's usual slots: `SET_ENV_DIR` and `SET_VARS` as given, and
/// the bin dir name and prompt quoted with the shell's `quote`.
pub(crate) fn fill_standard(
    template: &str,
    cfg: &ActivationConfig<'_>,
    set_env_dir: &str,
    set_vars: &str,
    quote: impl Fn(&str) -> String,
) -> Vec<u8> {
    let bin = quote(cfg.bin_dir_name);
    let prompt = quote(cfg.prompt);
    crate::template::fill(template, |name| match name {
        "SET_ENV_DIR" => Some(set_env_dir.as_bytes()),
        "BIN_NAME" => Some(bin.as_bytes()),
        "PROMPT" => Some(prompt.as_bytes()),
        "SET_VARS" => Some(set_vars.as_bytes()),
        _ => None,
    })
}

fn crlf(text: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for b in text {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

/// All activation files of an env, as `(file name, contents)`.
///
/// `Activate.ps1` also appears as `activate.ps1` (same contents) for
/// case-sensitive filesystems.
pub fn render_all(cfg: &ActivationConfig<'_>) -> Vec<(String, Vec<u8>)> {
    let ps1 = powershell::render(cfg);
    vec![
        ("activate".to_owned(), posix::render(cfg)),
        ("activate.fish".to_owned(), fish::render(cfg)),
        ("activate.csh".to_owned(), csh::render(cfg)),
        ("activate.nu".to_owned(), nu::render(cfg)),
        ("activate.xsh".to_owned(), xonsh::render(cfg)),
        ("Activate.ps1".to_owned(), ps1.clone()),
        ("activate.ps1".to_owned(), ps1),
        ("activate.bat".to_owned(), crlf(cmd::render_activate(cfg))),
        ("deactivate.bat".to_owned(), crlf(cmd::render_deactivate())),
        ("activate_this.py".to_owned(), python::render(cfg)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn line_endings() {
        for (dir, prompt, relocatable) in [
            ("/tmp/a b/.venv", "a\nb", false),
            ("/tmp/a b/.venv", "a\nb", true),
            ("/tmp/cr\r\nlf\r/.venv", "x\r\ny\r\n", false),
        ] {
            let cfg = ActivationConfig {
                env_dir: Path::new(dir),
                bin_dir_name: "bin",
                prompt,
                relocatable,
                vars: &crate::vars::NONE,
            };
            for (name, contents) in render_all(&cfg) {
                if name.ends_with(".bat") {
                    for (i, b) in contents.iter().enumerate() {
                        if *b == b'\n' {
                            assert_eq!(contents[i - 1], b'\r', "{name}: bare LF");
                        }
                        if *b == b'\r' {
                            assert_eq!(contents.get(i + 1), Some(&b'\n'), "{name}: bare CR");
                        }
                    }
                } else {
                    assert!(!contents.windows(2).any(|w| w == b"\r\n"), "{name}: CRLF");
                }
            }
        }
    }

    #[test]
    fn non_utf8_path_only_posix_activates() {
        use std::os::unix::ffi::OsStrExt;
        let dir = std::ffi::OsStr::from_bytes(b"/tmp/caf\xe9");
        let cfg = ActivationConfig {
            env_dir: Path::new(dir),
            bin_dir_name: "bin",
            prompt: "p",
            relocatable: false,
            vars: &crate::vars::NONE,
        };
        for (name, contents) in render_all(&cfg) {
            let text = String::from_utf8_lossy(&contents);
            if name == "activate" {
                assert!(contents.windows(9).any(|w| w == b"/tmp/caf\xe9"), "{name}");
            } else if name != "deactivate.bat" {
                assert!(text.contains("not valid UTF-8"), "{name}: {text}");
            }
        }
        // Relocatable scripts never hold the path, so they all work.
        let cfg = ActivationConfig { relocatable: true, ..cfg };
        for (name, contents) in render_all(&cfg) {
            let text = String::from_utf8_lossy(&contents);
            assert!(!text.contains("not valid UTF-8"), "{name}");
        }
    }
}
