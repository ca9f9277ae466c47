//! Launcher scripts: console/GUI entry points, and the `#!python` shebang
//! rewrite for `.data/scripts`.

use venvoy_dist::EntryPoint;
use venvoy_dist::script_header::{assemble, render_path};

/// The launcher for one entry point: the shebang and a few lines that import
/// the entry point and exit with its return value, stripping Windows-style
/// `-script.pyw`/`.exe` suffixes from `argv[0]` as pip's launchers do.
/// `python` is bytes: a path that is not UTF-8 is kept exactly (see
/// [`render_path`]). Returns `None` when the entry point has no attribute to call.
pub fn launcher(entry: &EntryPoint, python: &[u8]) -> Option<Vec<u8>> {
    let attr = entry.attr.as_deref()?;
    let first = attr.split('.').next().unwrap_or(attr);
    let body = format!(
        "# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {module} import {first}\n\nif __name__ == \"__main__\":\n    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n    sys.exit({attr}())\n",
        module = entry.module,
    );
    Some(assemble(&render_path(python, b""), body.as_bytes()))
}

/// If `content` starts with `#!python` (optionally `pythonw` or with
/// arguments), replace that first line with the shebang for `python` (bytes).
pub fn rewrite_python_shebang(content: &[u8], python: &[u8]) -> Option<Vec<u8>> {
    if !content.starts_with(b"#!python") {
        return None;
    }
    let rest = match content.iter().position(|&b| b == b'\n') {
        Some(i) => &content[i + 1..],
        None => &[][..],
    };
    Some(assemble(&render_path(python, b""), rest))
}

/// The script names to generate for pip's own entry points: `pip`,
/// `pipX` and `pipX.Y` for the target interpreter, as pip does when it
/// installs itself (the wheel's `pip3.11`-style names are for the
/// interpreter that built it, not ours).
pub(crate) fn adjust_pip_scripts(
    dist: &str,
    entries: Vec<EntryPoint>,
    major: u8,
    minor: u8,
) -> Vec<EntryPoint> {
    if venvoy_dist::normalize_name(dist) != "pip" {
        return entries;
    }
    let is_versioned_pip = |name: &str| {
        name.strip_prefix("pip")
            .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    let Some(base) = entries.iter().find(|e| e.name == "pip").cloned() else {
        return entries;
    };
    let mut out: Vec<EntryPoint> = entries.into_iter().filter(|e| !is_versioned_pip(&e.name)).collect();
    for name in [format!("pip{major}"), format!("pip{major}.{minor}")] {
        out.push(EntryPoint { name, ..base.clone() });
    }
    out
}

/// Whether a script name would replace the env's own interpreter or
/// activation scripts (`python`, `python3.11`, `pypy3`, `activate*`), which
/// no wheel may do.
pub fn is_protected_script(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let interpreter = ["python", "pypy"].iter().any(|prefix| {
        lower
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.trim_end_matches('w').chars().all(|c| c.is_ascii_digit() || c == '.'))
    });
    interpreter || lower.starts_with("activate")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(name: &str) -> EntryPoint {
        EntryPoint {
            name: name.to_owned(),
            module: "pip._internal.cli.main".to_owned(),
            attr: Some("main".to_owned()),
            extras: vec![],
        }
    }

    #[test]
    fn launcher_body() {
        let text = String::from_utf8(launcher(&ep("pip"), b"/e/bin/python").unwrap()).unwrap();
        assert!(text.starts_with("#!/e/bin/python\n# -*- coding: utf-8 -*-\n"));
        assert!(text.contains("from pip._internal.cli.main import main\n"));
        assert!(text.contains("sys.exit(main())"));
        let mut no_attr = ep("x");
        no_attr.attr = None;
        assert!(launcher(&no_attr, b"/p").is_none());
        // A path that is not UTF-8: the script stays UTF-8 text, the path exact.
        let bytes = launcher(&ep("pip"), b"/e\xff/bin/python").unwrap();
        assert!(std::str::from_utf8(&bytes).is_ok());
        let header = venvoy_dist::script_header::parse(&bytes).unwrap();
        assert_eq!(
            header.interpreter,
            venvoy_dist::script_header::Interpreter::Path(b"/e\xff/bin/python".to_vec())
        );
    }

    #[test]
    fn protected_names() {
        for name in [
            "python",
            "python3",
            "python3.11",
            "pythonw",
            "pypy3",
            "activate",
            "Activate.ps1",
            "activate.fish",
        ] {
            assert!(is_protected_script(name), "{name}");
        }
        for name in ["pip", "python-config-helper", "pytest", "black"] {
            assert!(!is_protected_script(name), "{name}");
        }
    }

    #[test]
    fn python_shebang_rewrite() {
        let out = rewrite_python_shebang(b"#!pythonw -E\nprint(1)\n", b"/e/bin/python").unwrap();
        assert_eq!(out, b"#!/e/bin/python\nprint(1)\n");
        assert!(rewrite_python_shebang(b"#!/bin/sh\n", b"/e/bin/python").is_none());
        let out = rewrite_python_shebang(b"#!python\nprint(1)\n", b"/a b%'\xff/python").unwrap();
        assert_eq!(
            out,
            b"#!/bin/sh\n'''exec' \"$(printf '/a\\040b%%'\\''\\377/python')\" \"$0\" \"$@\"\n' '''\nprint(1)\n"
        );
        let header = venvoy_dist::script_header::parse(&out).unwrap();
        assert_eq!(
            header.interpreter,
            venvoy_dist::script_header::Interpreter::Path(b"/a b%'\xff/python".to_vec())
        );
    }

    #[test]
    fn pip_names_follow_the_target() {
        let names: Vec<String> = adjust_pip_scripts("pip", vec![ep("pip"), ep("pip3"), ep("pip3.11")], 3, 12)
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["pip", "pip3", "pip3.12"]);
        let other = adjust_pip_scripts("black", vec![ep("pip3.11")], 3, 12);
        assert_eq!(other[0].name, "pip3.11");
    }
}
