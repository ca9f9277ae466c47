//! `venvoy which` with crafted PATHs: a venv first, a pyenv shim first, `pip`
//! and `python` from different interpreters, a directory twice, an active
//! env that is not first, `PYTHONPATH`.

use std::path::{Path, PathBuf};

use crate::common::{TestContext, assert_code, missing, stderr, stdout, write_exe};
use crate::packages::base_python;

fn which(ctx: &TestContext, name: &str) -> (i32, serde_json::Value) {
    let out = ctx.run(&["which", name, "--json"]);
    let json = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (out.status.code().unwrap(), json)
}

fn traps(report: &serde_json::Value) -> Vec<String> {
    report["warnings"].as_array().unwrap().iter().map(|w| w["trap"].as_str().unwrap().to_string()).collect()
}

fn path_of(dirs: &[&Path]) -> std::ffi::OsString {
    std::env::join_paths(dirs).unwrap()
}

fn venv(ctx: &TestContext, python: &Path, name: &str) -> PathBuf {
    let env = ctx.root.path().join(name);
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), env.to_str().unwrap()]),
        0,
    );
    env
}

#[test]
fn venv_first_then_system() {
    let Some(python) = base_python() else {
        return missing("no CPython");
    };
    let mut ctx = TestContext::new();
    let env = venv(&ctx, &python, "env");
    let other = ctx.root.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::os::unix::fs::symlink(&python, other.join("python")).unwrap();
    ctx.path = path_of(&[&env.join("bin"), &other]);
    let (code, report) = which(&ctx, "python");
    assert_eq!(code, 0);
    let matches = report["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 2);
    assert_eq!(matches[0]["path"], env.join("bin/python").to_str().unwrap());
    assert_eq!(matches[0]["runs"], true);
    assert_eq!(matches[0]["venv"], env.to_str().unwrap());
    assert!(matches[0]["symlink_to"].is_string());
    assert_eq!(matches[1]["runs"], false);
    assert!(matches[1].get("venv").is_none());
    assert_eq!(matches[1]["resolved"], python.to_str().unwrap());
    assert!(traps(&report).is_empty(), "{report:#}");

    let out = ctx.run(&["which", "python"]);
    let text = stdout(&out);
    assert!(text.starts_with(&format!("* 1. {}/bin/python\n", env.display())), "{text}");
    assert!(text.contains(&format!("in venv {}", env.display())), "{text}");
    assert!(stderr(&out).contains("type -a python"), "{}", stderr(&out));
}

#[test]
fn pyenv_shim_first_and_scripts() {
    let mut ctx = TestContext::new();
    let root = ctx.root.path().join("pyenv");
    let shims = root.join("shims");
    write_exe(
        &shims.join("python"),
        "#!/usr/bin/env bash\nset -e\nexec \"/x/libexec/pyenv\" exec \"$program\" \"$@\"\n",
    );
    let tools = ctx.root.path().join("tools");
    write_exe(&tools.join("python"), "#!/bin/sh\necho not python\n");
    write_exe(&tools.join("tool"), "#!/usr/bin/env python3\nprint(1)\n");
    ctx.env("PYENV_ROOT", &root);
    ctx.path = path_of(&[&shims, &tools, Path::new("/usr/bin"), Path::new("/bin")]);
    let (code, report) = which(&ctx, "python");
    assert_eq!(code, 0);
    assert_eq!(report["matches"][0]["pyenv_shim"], true);
    assert_eq!(report["matches"][0]["env_command"], "bash");
    assert_eq!(report["matches"][1]["interpreter"], "/bin/sh");
    assert!(traps(&report).contains(&"pyenv-shim-first".to_string()), "{report:#}");
    let (_, report) = which(&ctx, "tool");
    assert_eq!(report["matches"][0]["env_command"], "python3");
}

#[test]
fn pip_of_another_interpreter() {
    let Some(python) = base_python() else {
        return missing("no CPython");
    };
    let mut ctx = TestContext::new();
    let one = venv(&ctx, &python, "one");
    let two = venv(&ctx, &python, "two");
    write_exe(&two.join("bin/pip"), &format!("#!{}/bin/python\nprint('pip')\n", two.display()));
    // `python` from one env, `pip` from the other.
    ctx.path = path_of(&[&one.join("bin"), &two.join("bin")]);
    let (_, report) = which(&ctx, "pip");
    assert_eq!(report["matches"][0]["interpreter"], format!("{}/bin/python", two.display()));
    assert_eq!(report["matches"][0]["venv"], two.to_str().unwrap());
    let trap = &report["warnings"][0];
    assert_eq!(trap["trap"], "pip-python-mismatch");
    assert_eq!(trap["python"], format!("{}/bin/python", one.display()));
    let out = ctx.run(&["which", "pip"]);
    assert!(stderr(&out).contains("python -m pip"), "{}", stderr(&out));

    // The same pip with its own env first: no trap.
    ctx.path = path_of(&[&two.join("bin"), &one.join("bin")]);
    let (_, report) = which(&ctx, "pip");
    assert!(traps(&report).is_empty(), "{report:#}");
}

#[test]
fn duplicates_active_env_and_variables() {
    let Some(python) = base_python() else {
        return missing("no CPython");
    };
    let mut ctx = TestContext::new();
    let env = venv(&ctx, &python, "env");
    let bin = env.join("bin");
    ctx.path = path_of(&[&bin, Path::new("/usr/bin"), &bin]);
    let (_, report) = which(&ctx, "python");
    let matches = report["matches"].as_array().unwrap();
    let last = matches.last().unwrap();
    assert_eq!(last["path"], bin.join("python").to_str().unwrap());
    assert_eq!(last["same_as"], 0);
    assert!(traps(&report).contains(&"duplicate-path".to_string()), "{report:#}");

    ctx.path = path_of(&[Path::new("/usr/bin"), Path::new("/bin"), &bin]);
    ctx.env("VIRTUAL_ENV", &env).env("PYTHONPATH", "/somewhere").env("PYTHONHOME", "/elsewhere");
    let (_, report) = which(&ctx, "python3");
    let found = traps(&report);
    for trap in ["active-env-not-first", "python-home", "python-path"] {
        assert!(found.contains(&trap.to_string()), "{trap} missing: {report:#}");
    }
    assert_eq!(report["matches"].as_array().unwrap().last().unwrap()["venv"], env.to_str().unwrap());
}

#[test]
fn nothing_found_exits_1() {
    let mut ctx = TestContext::new();
    ctx.path = path_of(&[ctx.root.path()]);
    let out = ctx.run(&["which", "no-such-command-here"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("no `no-such-command-here` on PATH"));
    // A path names one file.
    let exe = ctx.root.path().join("tool");
    write_exe(&exe, "#!/bin/sh\n");
    let (code, report) = which(&ctx, exe.to_str().unwrap());
    assert_eq!(code, 0);
    assert_eq!(report["matches"][0]["interpreter"], "/bin/sh");
}

#[test]
fn pyenv_shim_says_what_pyenv_runs() {
    let Some(real_root) = crate::common::pyenv_root() else {
        return missing("pyenv is not installed");
    };
    if !real_root.join("versions/3.12.1/bin/python3").is_file() {
        return missing("pyenv's 3.12.1 is not installed");
    }
    let mut ctx = TestContext::new();
    let root = ctx.root.path().join("pyenv");
    write_exe(
        &root.join("shims/python3"),
        "#!/usr/bin/env bash\nexec \"/x/libexec/pyenv\" exec \"$program\" \"$@\"\n",
    );
    std::fs::create_dir_all(root.join("versions")).unwrap();
    std::os::unix::fs::symlink(real_root.join("versions/3.12.1"), root.join("versions/3.12.1")).unwrap();
    std::fs::write(root.join("version"), "3.12.1\n").unwrap();
    ctx.env("PYENV_ROOT", &root);
    ctx.path = path_of(&[&root.join("shims"), Path::new("/usr/bin")]);
    let (_, report) = which(&ctx, "python3");
    assert_eq!(
        report["matches"][0]["pyenv_runs"],
        root.join("versions/3.12.1/bin/python3").to_str().unwrap()
    );
    // `.python-version` in the current directory wins over the global version.
    std::fs::write(ctx.work.join(".python-version"), "system\n").unwrap();
    let (_, report) = which(&ctx, "python3");
    assert_eq!(report["matches"][0]["pyenv_runs"], "/usr/bin/python3");
}
