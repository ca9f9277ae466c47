//! `venvoy python find`: every request form against the machine's real interpreters.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn find(ctx: &TestContext, request: &str) -> PathBuf {
    let out = ctx.run(&["python", "find", request]);
    assert_code(&out, 0);
    PathBuf::from(stdout(&out).trim())
}

/// The newest supported pyenv CPython of a minor version, e.g. "3.12" → 3.12.1.
fn newest(minor: &str) -> Option<(String, PathBuf)> {
    let mut all: Vec<(String, PathBuf)> =
        supported_pythons().into_iter().filter(|(v, _)| v.starts_with(&format!("{minor}."))).collect();
    all.sort_by_key(|(v, _)| v.split('.').map(|p| p.parse::<u32>().unwrap_or(0)).collect::<Vec<_>>());
    all.pop()
}

#[test]
fn version_forms_resolve_to_the_newest_match() {
    let ctx = TestContext::new();
    let Some((_, py312)) = newest("3.12") else {
        assert!(!in_ci(), "CPython 3.12 expected on this machine");
        return;
    };
    for request in
        ["3.12", "312", "python3.12", "cpython3.12", "cpython@3.12", "cp312", "CPython@3.12", ">=3.12,<3.13"]
    {
        assert_eq!(find(&ctx, request), py312, "request {request}");
    }
    let exact = python_version(&py312);
    assert_eq!(find(&ctx, &exact), py312);

    // `3` and no request: the newest CPython 3.
    let newest_all = supported_pythons()
        .into_iter()
        .max_by_key(|(v, _)| v.split('.').map(|p| p.parse::<u32>().unwrap_or(0)).collect::<Vec<_>>())
        .unwrap();
    assert_eq!(find(&ctx, "3"), newest_all.1);
    // With no `python3` on PATH (and no version file), no request is the
    // newest CPython; `default_python` covers what PATH and pyenv choose.
    let mut bare = TestContext::new();
    let empty = bare.root.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    bare.path = empty.into_os_string();
    let out = bare.run(&["python", "find"]);
    assert_code(&out, 0);
    // (Unless the newest is a PATH install: PATH is empty here.)
    if !newest_all.1.starts_with("/usr/bin") {
        assert_eq!(PathBuf::from(stdout(&out).trim()), newest_all.1);
    }

    // Specifier sets use PEP 440 semantics.
    if let Some((_, py310)) = newest("3.10") {
        assert_eq!(find(&ctx, ">=3.10,<3.11"), py310);
        assert_eq!(find(&ctx, "~=3.10.0"), py310);
    }
}

#[test]
fn exact_patch_picks_that_install() {
    let ctx = TestContext::new();
    // Debian's 3.11 and pyenv's 3.11 differ in patch version: each is reachable.
    let debian = std::fs::canonicalize("/usr/bin/python3").unwrap();
    let version = python_version(&debian);
    assert_eq!(find(&ctx, &version), debian);
    let out = ctx.run(&["python", "find", &version, "--json"]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["python_version"], version.as_str());
    assert_eq!(json["implementation"], "cpython");
    assert!(json["reason"].as_str().unwrap().contains(&version));
}

#[test]
fn paths_prefixes_and_venvs() {
    let ctx = TestContext::new();
    let Some((version, python)) = newest("3.9") else { return };
    let prefix = pyenv_root().unwrap().join("versions").join(&version);
    // An absolute path to an executable, through a symlink.
    assert_eq!(find(&ctx, prefix.join("bin/python3").to_str().unwrap()), python);
    // An install prefix.
    assert_eq!(find(&ctx, prefix.to_str().unwrap()), python);
    // A relative path, from the current directory.
    let link_dir = ctx.work.join("here");
    std::fs::create_dir_all(&link_dir).unwrap();
    std::os::unix::fs::symlink(prefix.join("bin/python3"), link_dir.join("py")).unwrap();
    assert_eq!(find(&ctx, "./here/py"), python);
    assert_eq!(find(&ctx, "here/py"), python);

    // A venv made by the stdlib means its base interpreter, and so does its python.
    let venv = ctx.work.join("stdlib-venv");
    let status = Command::new(&python).args(["-m", "venv", "--without-pip"]).arg(&venv).status().unwrap();
    assert!(status.success());
    assert_eq!(find(&ctx, venv.to_str().unwrap()), python);
    assert_eq!(find(&ctx, venv.join("bin/python").to_str().unwrap()), python);
}

#[test]
fn commands_and_pyenv_shims() {
    let mut ctx = TestContext::new();
    let Some((version, python)) = newest("3.10") else { return };
    let bin = ctx.root.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(&python, bin.join("my-python")).unwrap();
    ctx.prepend_path(&bin);
    assert_eq!(find(&ctx, "my-python"), python);

    // A pyenv shim runs what pyenv would choose: here PYENV_VERSION.
    if let Some(root) = pyenv_root() {
        let shim = root.join("shims/python3");
        if shim.exists() {
            ctx.env("PYENV_VERSION", &version);
            assert_eq!(find(&ctx, shim.to_str().unwrap()), python);
        }
    }
}

#[test]
fn python_version_file_is_the_default_request() {
    let ctx = TestContext::new();
    let Some((_, py39)) = newest("3.9") else { return };
    let project = ctx.work.join("project/src/deep");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(ctx.work.join("project/.python-version"), "# pinned\n3.9\n").unwrap();
    let out = ctx.venvoy().current_dir(&project).args(["python", "find", "-v"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(PathBuf::from(stdout(&out).trim()), py39);
    assert!(stderr(&out).contains(".python-version"), "{}", stderr(&out));

    // A pyenv version name is an install of that name.
    let Some((v310, py310)) = newest("3.10") else { return };
    std::fs::write(ctx.work.join("project/.python-version"), format!("{v310}\n")).unwrap();
    let out = ctx.venvoy().current_dir(&project).args(["python", "find"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(PathBuf::from(stdout(&out).trim()), py310);

    // Nothing that matches: exit 1, naming the file.
    std::fs::write(ctx.work.join("project/.python-version"), "3.2\n").unwrap();
    let out = ctx.venvoy().current_dir(&project).args(["python", "find"]).output().unwrap();
    assert_code(&out, 1);
    assert!(stderr(&out).contains(".python-version"), "{}", stderr(&out));
}

#[test]
fn nothing_matches_exits_1_with_what_exists() {
    // A machine of exactly one CPython (a PATH of one link, an empty pyenv),
    // so the answer does not depend on what this machine has installed.
    let Some((version, python)) = require("a supported CPython", supported_pythons().into_iter().next())
    else {
        return;
    };
    let mut ctx = TestContext::new();
    let bin = ctx.root.path().join("only");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(&python, bin.join("python3")).unwrap();
    ctx.path = bin.into_os_string();
    let empty_pyenv = ctx.root.path().join("no-pyenv");
    ctx.env("PYENV_ROOT", &empty_pyenv);
    for request in ["pypy", "pypy3.10", "3.2", "cp399"] {
        let out = ctx.run(&["python", "find", request]);
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(err.starts_with(&"error: no Python interpreter matches `".to_string()), "{err}");
        assert!(err.contains(&format!("hint: interpreters found: CPython {version}; ")), "{err}");
    }
}

#[test]
fn bad_requests_are_usage_errors() {
    let ctx = TestContext::new();
    let out = ctx.run(&["python", "find", ">=banana"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("invalid Python request `>=banana`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));
}

/// With a warm cache, `python find` answers from disk: no Python process runs.
#[test]
fn warm_cache_spawns_no_python() {
    let ctx = TestContext::new();
    let out = ctx.run(&["python", "find", "3.12"]);
    assert_code(&out, 0);
    let expected = stdout(&out);

    // Every query logs `querying <path>` at -vv right before it spawns.
    let out = ctx.run(&["-vv", "python", "find", "3.12"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), expected);
    assert!(!stderr(&out).contains("querying "), "spawned with a warm cache:\n{}", stderr(&out));

    // And, independently, the kernel's view: strace sees only venvoy's own exec.
    if Path::new("/usr/bin/strace").exists() {
        let log = ctx.root.path().join("strace.log");
        let cmd = ctx.venvoy();
        let program = cmd.get_program().to_owned();
        let mut strace = Command::new("strace");
        strace
            .args(["-f", "-e", "trace=execve", "-o"])
            .arg(&log)
            .arg(program)
            .args(["python", "find", "3.12"]);
        strace.current_dir(&ctx.work).env_clear();
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                strace.env(k, v);
            }
        }
        let out = strace.output().unwrap();
        assert_code(&out, 0);
        assert_eq!(stdout(&out), expected);
        let execs = std::fs::read_to_string(&log).unwrap().lines().filter(|l| l.contains("execve(")).count();
        assert_eq!(execs, 1, "{}", std::fs::read_to_string(&log).unwrap());
    }
}

/// A cache entry whose interpreter file changed is ignored and rewritten; a
/// corrupt one likewise.
#[test]
fn stale_and_corrupt_cache_entries_are_rewritten() {
    let ctx = TestContext::new();
    let out = ctx.run(&["python", "list"]);
    assert_code(&out, 0);
    let dir = std::fs::read_dir(&ctx.cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with("interpreters-v1"))
        .expect("cache dir");
    let entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(!entries.is_empty());
    for (i, e) in entries.iter().enumerate() {
        match i % 3 {
            0 => std::fs::write(e, b"{ not json").unwrap(),
            1 => std::fs::write(e, b"").unwrap(),
            _ => {
                let text = std::fs::read_to_string(e).unwrap();
                std::fs::write(e, &text[..text.len() / 2]).unwrap();
            }
        }
    }
    let again = ctx.run(&["-vv", "python", "list"]);
    assert_code(&again, 0);
    assert_eq!(stdout(&again), stdout(&out));
    assert!(stderr(&again).contains("querying "), "corrupt entries must be re-queried");
    for e in &entries {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(e).unwrap()).expect("rewritten entry");
        assert!(v["info"]["version_info"].is_array());
    }
}

/// Replacing the interpreter file (an upgrade in place) invalidates its cache entry.
#[test]
fn replaced_interpreter_is_queried_again() {
    let ctx = TestContext::new();
    let (Some(py312), Some(py311)) = (pyenv_python("3.12.1"), pyenv_python("3.11.7")) else { return };
    let exe = ctx.root.path().join("copy/bin/python3");
    std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
    std::fs::copy(&py312, &exe).unwrap();
    let out = ctx.run(&["python", "find", "--json", exe.to_str().unwrap()]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["python_version"], "3.12.1");
    // Same path, same inode, new contents.
    std::fs::copy(&py311, &exe).unwrap();
    let out = ctx.run(&["-vv", "python", "find", "--json", exe.to_str().unwrap()]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["python_version"], "3.11.7", "{}", stderr(&out));
    assert!(stderr(&out).contains("querying "), "the changed file was re-queried");
}

#[test]
fn completions_for_each_shell() {
    let ctx = TestContext::new();
    // The names `init` takes, with their aliases.
    for shell in ["bash", "zsh", "fish", "elvish", "pwsh", "powershell", "nu", "nushell"] {
        let out = ctx.run(&["completions", shell]);
        assert_code(&out, 0);
        let text = stdout(&out);
        assert!(text.contains("venvoy") && text.contains("create"), "{shell}: {text}");
    }
    let out = ctx.run(&["completions", "tcsh"]);
    assert_code(&out, 2);
}
