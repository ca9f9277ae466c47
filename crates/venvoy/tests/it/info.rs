//! `venvoy info` on envs made by the stdlib's venv, virtualenv, uv and venvoy.

use std::process::Command;

use crate::common::peer;
use crate::common::{TestContext, assert_code, missing, stdout};
use crate::packages::{base_python, run_ok};

fn info(ctx: &TestContext, env: &std::path::Path) -> serde_json::Value {
    let out = ctx.run(&["info", env.to_str().unwrap(), "--json"]);
    assert_code(&out, 0);
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn info_reads_a_stdlib_venv() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let version = crate::common::python_version(&python);
    let stdlib = ctx.root.path().join("stdlib");
    run_ok(Command::new(&python).args(["-m", "venv", "--prompt", "my project"]).arg(&stdlib));
    let report = info(&ctx, &stdlib);
    assert_eq!(report["creator"]["tool"], "venv");
    assert_eq!(report["prompt"], "my project");
    assert_eq!(report["health"], "ok");
    assert_eq!(report["python_version"], version.as_str());
    assert_eq!(report["implementation"], "cpython");
    assert_eq!(report["base"]["exists"], true);
    assert_eq!(report["base"]["version_matches"], true);
    assert_eq!(report["include_system_site_packages"], false);
    assert!(report["distributions"].as_u64().unwrap() >= 1, "pip is installed: {report:#}");
    assert!(report["size_bytes"].as_u64().unwrap() > 100_000);
    let text = stdout(&ctx.run(&["info", stdlib.to_str().unwrap()]));
    assert!(text.contains("created by:") && text.contains("health:                ok"), "{text}");
}

#[test]
fn info_reads_venvoys_relocatable_and_system_site_flags() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let ctx = TestContext::new();
    let vy = ctx.root.path().join("vy");
    let py = python.to_str().unwrap();
    let args = [
        "create",
        "--without-pip",
        "--relocatable",
        "--system-site-packages",
        "-p",
        py,
        vy.to_str().unwrap(),
    ];
    assert_code(&ctx.run(&args), 0);
    let report = info(&ctx, &vy);
    assert_eq!(report["creator"]["tool"], "venvoy");
    assert_eq!(report["relocatable"], true);
    assert_eq!(report["include_system_site_packages"], true);
    assert_eq!(report["prompt"], "vy");
}

#[test]
fn info_names_uv_even_after_a_move_and_repair() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let Some(uv) = peer("uv") else {
        return missing("uv is not installed (run `bash bench/setup.sh`)");
    };
    let ctx = TestContext::new();
    let dir = ctx.root.path();
    let env = dir.join("uv-env");
    run_ok(
        Command::new(uv)
            .args(["venv", "-q", "--no-config", "-p"])
            .arg(&python)
            .arg(&env)
            .env("UV_CACHE_DIR", dir.join("uv-cache")),
    );
    let report = info(&ctx, &env);
    assert_eq!(report["creator"]["tool"], "uv");
    assert_eq!(report["health"], "ok");
    assert_eq!(report["distributions"], 0);
    // Moved, then repaired: still uv's env.
    let moved = dir.join("uv-moved");
    std::fs::rename(&env, &moved).unwrap();
    assert_eq!(info(&ctx, &moved)["health"], "moved");
    assert_code(&ctx.run(&["doctor", "--fix", moved.to_str().unwrap()]), 0);
    let report = info(&ctx, &moved);
    assert_eq!((&report["health"], &report["creator"]["tool"]), (&"ok".into(), &"uv".into()));
}

#[test]
fn info_names_virtualenv() {
    let Some(python) = base_python() else {
        return missing("no CPython with ensurepip");
    };
    let Some(virtualenv) = peer("virtualenv") else {
        return missing("virtualenv is not installed (run `bash bench/setup.sh`)");
    };
    let ctx = TestContext::new();
    let dir = ctx.root.path();
    let env = dir.join("ve-env");
    run_ok(
        Command::new(virtualenv)
            .arg("-q")
            .arg("-p")
            .arg(&python)
            .arg(&env)
            .env("VIRTUALENV_OVERRIDE_APP_DATA", dir.join("ve-data")),
    );
    let report = info(&ctx, &env);
    assert_eq!(report["creator"]["tool"], "virtualenv");
    assert_eq!(report["health"], "ok");
}

#[test]
fn info_of_a_path_that_does_not_exist_fails_with_2() {
    let ctx = TestContext::new();
    let out = ctx.run(&["info", ctx.root.path().join("nope").to_str().unwrap()]);
    assert_code(&out, 2);
}
