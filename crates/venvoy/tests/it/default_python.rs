//! The Python venvoy picks when none is named, the one the user expects:
//! with pyenv's shims first on PATH, pyenv's global version (or
//! `PYENV_VERSION`), unless `requires-python` of the nearest
//! `pyproject.toml` excludes it; `-p python3` is what PATH runs.
//! A private pyenv root links to the machine's real pyenv versions, so the
//! global version file can be written without touching the real one.

use std::path::{Path, PathBuf};

use crate::common::{TestContext, assert_code, pyenv_root, require, stderr, stdout, supported_pythons};

fn key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

fn find(ctx: &TestContext, dir: &Path, args: &[&str]) -> (PathBuf, String) {
    let out = ctx.venvoy().current_dir(dir).args(["-v", "python", "find"]).args(args).output().unwrap();
    assert_code(&out, 0);
    (PathBuf::from(stdout(&out).trim()), stderr(&out))
}

#[test]
fn pyenv_global_version_pyenv_version_and_requires_python() {
    let Some(real_root) = require("pyenv", pyenv_root()) else { return };
    let mut pythons: Vec<(String, PathBuf)> =
        supported_pythons().into_iter().filter(|(_, p)| p.starts_with(&real_root)).collect();
    pythons.sort_by_key(|(v, _)| key(v));
    if require("three pyenv CPythons of 3.7 or newer", (pythons.len() >= 3).then_some(())).is_none() {
        return;
    }
    // The global version is not the newest, so "newest" and "global" differ.
    let (global, global_py) = pythons[pythons.len() - 2].clone();
    let (other, other_py) = pythons[0].clone();
    let newest = supported_pythons().into_iter().max_by_key(|(v, _)| key(v)).unwrap();

    let mut ctx = TestContext::new();
    let root = ctx.root.path().join("pyenv");
    std::fs::create_dir_all(root.join("versions")).unwrap();
    std::fs::create_dir_all(root.join("shims")).unwrap();
    for (version, _) in &pythons {
        std::os::unix::fs::symlink(
            real_root.join("versions").join(version),
            root.join("versions").join(version),
        )
        .unwrap();
    }
    // pyenv's shim script (never run by venvoy), and the global version file.
    let shim = "#!/usr/bin/env bash\nset -e\nexport PYENV_ROOT=\"$PYENV_ROOT\"\nexec pyenv exec \"$(basename \"$0\")\" \"$@\"\n";
    crate::common::write_exe(&root.join("shims/python3"), shim);
    crate::common::write_exe(&root.join("shims/python"), shim);
    std::fs::write(root.join("version"), format!("{global}\n")).unwrap();
    ctx.env("PYENV_ROOT", &root);
    ctx.prepend_path(&root.join("shims"));

    let project = ctx.work.join("project");
    std::fs::create_dir_all(project.join("src")).unwrap();
    let (chosen, log) = find(&ctx, &project, &[]);
    assert_eq!(chosen, global_py, "pyenv's global version\n{log}");
    assert!(log.contains("pyenv shim"), "-v says which rule chose it:\n{log}");

    // `venvoy create` takes the same one.
    let out = ctx.venvoy().current_dir(&project).args(["create", "--without-pip"]).output().unwrap();
    assert_code(&out, 0);
    let cfg = std::fs::read_to_string(project.join(".venv/pyvenv.cfg")).unwrap();
    assert!(cfg.contains(&format!("version = {global}\n")), "{cfg}");

    // PYENV_VERSION wins over the global file.
    let mut with_env = TestContext { path: ctx.path.clone(), ..TestContext::new() };
    with_env.env("PYENV_ROOT", &root).env("PYENV_VERSION", &other);
    let (chosen, _) = find(&with_env, &with_env.work, &[]);
    assert_eq!(chosen, other_py, "PYENV_VERSION");

    // requires-python that excludes the global version: the newest that fits.
    std::fs::write(
        project.join("pyproject.toml"),
        format!("[project]\nname = \"p\"\nrequires-python = \">{global}\"\n"),
    )
    .unwrap();
    let (chosen, log) = find(&ctx, &project.join("src"), &[]);
    assert_eq!(chosen, newest.1, "newest match of >{global}\n{log}");
    assert!(log.contains("requires-python"), "{log}");
    // …and one that includes it: the global version again.
    std::fs::write(project.join("pyproject.toml"), "[project]\nname = \"p\"\nrequires-python = \">=3.7\"\n")
        .unwrap();
    let (chosen, _) = find(&ctx, &project.join("src"), &[]);
    assert_eq!(chosen, global_py, "requires-python >=3.7 keeps the global version");

    // `-p python3` is what `python3` on PATH runs: the shim, then a plain link first.
    let (chosen, _) = find(&ctx, &project, &["python3"]);
    assert_eq!(chosen, global_py);
    let bin = ctx.root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(&other_py, bin.join("python3")).unwrap();
    ctx.prepend_path(&bin);
    let (chosen, _) = find(&ctx, &project, &["python3"]);
    assert_eq!(chosen, other_py, "-p python3 follows PATH");
}

#[test]
fn unsupported_versions_are_named_as_installed() {
    let ctx = TestContext::new();
    let old: Vec<String> = crate::common::pyenv_versions()
        .into_iter()
        .filter(|v| v.starts_with("2.7.") || v.starts_with("3.6."))
        .collect();
    let Some(old) = require("pyenv's CPython 2.7 or 3.6", (!old.is_empty()).then_some(old)) else { return };
    for version in old {
        let minor: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
        let out = ctx.run(&["python", "find", &minor]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!("error: CPython {version} (`"))
                && err.contains("is installed, but venvoy needs Python 3.7 or newer"),
            "{err}"
        );
    }
}

#[test]
fn asdf_and_mise_shims_resolve_as_those_tools_would() {
    let Some(real_root) = require("pyenv", pyenv_root()) else { return };
    let mut pythons: Vec<(String, PathBuf)> =
        supported_pythons().into_iter().filter(|(_, p)| p.starts_with(&real_root)).collect();
    pythons.sort_by_key(|(v, _)| key(v));
    if require("two pyenv CPythons of 3.7 or newer", (pythons.len() >= 2).then_some(())).is_none() {
        return;
    }
    let (global, global_py) = pythons[0].clone();
    let (local, local_py) = pythons[pythons.len() - 1].clone();
    let shim = "#!/usr/bin/env bash\nexec asdf exec \"$(basename \"$0\")\" \"$@\"\n";
    for tool in ["asdf", "mise"] {
        let mut ctx = TestContext::new();
        let root = ctx.root.path().join(tool);
        std::fs::create_dir_all(root.join("installs/python")).unwrap();
        for (version, _) in &pythons {
            std::os::unix::fs::symlink(
                real_root.join("versions").join(version),
                root.join("installs/python").join(version),
            )
            .unwrap();
        }
        crate::common::write_exe(&root.join("shims/python3"), shim);
        ctx.env(if tool == "asdf" { "ASDF_DATA_DIR" } else { "MISE_DATA_DIR" }, &root);
        ctx.prepend_path(&root.join("shims"));
        // The user's global choice.
        let global_file = if tool == "asdf" {
            ctx.home.join(".tool-versions")
        } else {
            std::fs::create_dir_all(ctx.home.join(".config/mise")).unwrap();
            ctx.home.join(".config/mise/config.toml")
        };
        let global_text = if tool == "asdf" {
            format!("nodejs 20.1.0\npython {global}\n")
        } else {
            format!("[tools]\npython = \"{global}\"\n")
        };
        std::fs::write(&global_file, global_text).unwrap();
        let (chosen, log) = find(&ctx, &ctx.work, &[]);
        assert_eq!(chosen, global_py, "{tool} global\n{log}");
        assert!(log.contains(&format!("{tool} shim")), "{log}");

        // A project's own file, naming only the minor version (a prefix).
        let project = ctx.work.join("project");
        std::fs::create_dir_all(&project).unwrap();
        let minor: String = local.split('.').take(2).collect::<Vec<_>>().join(".");
        if tool == "asdf" {
            std::fs::write(project.join(".tool-versions"), format!("python {minor}\n")).unwrap();
        } else {
            std::fs::write(project.join("mise.toml"), format!("[tools]\npython = [\"{minor}\"]\n")).unwrap();
        }
        let (chosen, log) = find(&ctx, &project, &[]);
        assert_eq!(chosen, local_py, "{tool} project file\n{log}");

        // The per-shell variable wins over every file; a path in it is never followed.
        let variable = if tool == "asdf" { "ASDF_PYTHON_VERSION" } else { "MISE_PYTHON_VERSION" };
        ctx.env(variable, format!("../../../../usr {global}"));
        let (chosen, log) = find(&ctx, &project, &[]);
        assert_eq!(chosen, global_py, "{variable}\n{log}");

        // Nothing set anywhere: mise falls through to the next `python3` on
        // PATH (`system`); asdf refuses, so the next rule chooses.
        ctx.env(variable, "");
        std::fs::remove_file(&global_file).unwrap();
        let (chosen, log) = find(&ctx, &ctx.work, &[]);
        if tool == "mise" {
            assert!(log.contains("(version `system`)"), "{log}");
            assert!(
                !chosen.starts_with(&root) && !chosen.starts_with(&real_root),
                "{}\n{log}",
                chosen.display()
            );
        } else {
            assert!(!log.contains("asdf shim"), "{log}");
        }
    }
}
