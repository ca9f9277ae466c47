//! The `pyvenv.cfg` venvoy writes: the stdlib's keys, uv's and virtualenv's
//! `implementation`/`version_info`, and venvoy's own.

use std::path::Path;

use venvoy_python::{Interpreter, PyvenvCfg};

use crate::options::CreateOptions;

/// The contents of `pyvenv.cfg` for a venv made from `interpreter`, whose
/// `bin/` links point to `link_target`.
pub fn render(interpreter: &Interpreter, link_target: &Path, opts: &CreateOptions) -> PyvenvCfg {
    let home = link_target.parent().unwrap_or(Path::new("/"));
    let version = interpreter.version_string();
    let mut cfg = PyvenvCfg::default();
    cfg.set("home", home.display().to_string());
    cfg.set("implementation", interpreter.implementation().display_name());
    cfg.set("version_info", version.clone());
    cfg.set("version", version);
    cfg.set("include-system-site-packages", if opts.system_site_packages { "true" } else { "false" });
    cfg.set("executable", interpreter.path.display().to_string());
    cfg.set("command", one_line(&opts.command));
    if let Some(prompt) = &opts.prompt {
        cfg.set("prompt", py_repr(prompt));
    }
    cfg.set("venvoy", opts.venvoy_version.clone());
    if opts.relocatable {
        cfg.set("relocatable", "true");
    }
    cfg
}

/// `pyvenv.cfg` is line-based: a value must not contain a line break.
fn one_line(s: &str) -> String {
    s.replace('\r', "\\r").replace('\n', "\\n")
}

/// Python's `repr()` of a string, as the stdlib's venv writes the prompt:
/// single quotes unless the text has `'` and no `"`, backslash escapes for
/// the quote, backslashes and control characters.
pub fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::py_repr;

    #[test]
    fn repr_like_python() {
        assert_eq!(py_repr("env"), "'env'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(py_repr("x\ny\\"), "'x\\ny\\\\'");
        assert_eq!(py_repr("é 🐍"), "'é 🐍'");
    }
}
