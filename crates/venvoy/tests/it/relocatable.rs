//! `venvoy relocatable` and `venvoy create --relocatable`: after a plain
//! `mv` or `cp -a`, console scripts run the interpreter next to them,
//! activation names the new place, editable installs inside the env import.

use std::path::Path;
use std::process::Command;

use crate::clone::{
    assert_no_leftovers, assert_no_old_prefix, assert_works, long_spaced_dir, ok, rich_env, rich_env_on,
    site_packages,
};
use crate::common::{TestContext, assert_code, pypy3, stderr, stdout};

/// `sys.executable` as `env/bin/<script>` reports it (first line).
fn script_python(env: &Path, script: &str) -> String {
    let out = ok(Command::new(env.join("bin").join(script)).env_remove("VIRTUAL_ENV"));
    stdout(&out).lines().next().unwrap_or_default().to_string()
}

fn activated_env(env: &Path) -> String {
    let out = ok(Command::new("bash")
        .args(["-c", ". \"$1/bin/activate\" && printf '%s' \"$VIRTUAL_ENV\"", "_"])
        .arg(env)
        .env_remove("VIRTUAL_ENV"));
    stdout(&out)
}

#[track_caller]
fn assert_runs_here(env: &Path) {
    for script in ["alpha-cli", "beta-cli", "gamma-cli", "delta-cli"] {
        let python = script_python(env, script);
        assert!(
            Path::new(&python).starts_with(env.join("bin")),
            "{script} ran {python}, not in {}",
            env.display()
        );
    }
    let pip = ok(Command::new(env.join("bin/pip")).arg("--version"));
    assert!(stdout(&pip).contains(&*site_packages(env).to_string_lossy()), "{}", stdout(&pip));
    let out = ok(Command::new(env.join("bin/python"))
        .args(["-c", "import gamma, delta; print(gamma.__file__); print(delta.__file__)"]));
    for line in stdout(&out).lines() {
        assert!(Path::new(line).starts_with(env.join("src")), "{line} is not in {}", env.display());
    }
    assert_eq!(Path::new(&activated_env(env)), env);
}

#[test]
fn relocatable_env_works_after_mv_and_cp() {
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env(&ctx, &orig).is_none() {
        return;
    }
    let out = ctx.run(&["relocatable", "./orig"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("is relocatable"), "{}", stderr(&out));
    let cfg = std::fs::read_to_string(orig.join("pyvenv.cfg")).unwrap();
    assert!(cfg.contains("relocatable = true"), "{cfg}");
    assert_runs_here(&orig);
    // Converting twice changes nothing more.
    let again = ctx.run(&["relocatable", "./orig", "--json"]);
    assert_code(&again, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(json["scripts"].as_array().map(Vec::len), Some(0), "{json}");
    assert_eq!(json["config_changed"], false);

    let moved = long_spaced_dir(&ctx).join("moved env");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&orig, &moved).unwrap();
    assert_runs_here(&moved);

    let copied = ctx.work.join("copied");
    ok(Command::new("cp").arg("-a").arg(&moved).arg(&copied));
    assert_runs_here(&copied);
    assert_runs_here(&moved);
}

#[test]
fn create_relocatable_then_move() {
    let ctx = TestContext::new();
    let out = ctx.run(&["create", "--relocatable", "./made"]);
    assert_code(&out, 0);
    let made = ctx.work.join("made");
    let moved = ctx.work.join("somewhere else/env");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&made, &moved).unwrap();
    assert_eq!(Path::new(&activated_env(&moved)), moved);
    let prefix = ok(Command::new(moved.join("bin/python")).args(["-c", "import sys; print(sys.prefix)"]));
    assert_eq!(Path::new(stdout(&prefix).trim()), moved);
    if moved.join("bin/pip").exists() {
        let script = std::fs::read_to_string(moved.join("bin/pip")).unwrap();
        assert!(script.contains("realpath"), "{script}");
        let pip = ok(Command::new(moved.join("bin/pip")).arg("--version"));
        assert!(stdout(&pip).contains(&*moved.to_string_lossy()), "{}", stdout(&pip));
    }
}

/// The same on PyPy (`lib/pypy3.X`): a rich env cloned, the clone made
/// relocatable, then moved and copied; each works where it is.
#[test]
fn pypy_env_clones_and_relocates() {
    let Some(pypy) = pypy3() else { return };
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env_on(&ctx, &orig, &pypy).is_none() {
        return;
    }
    let site = site_packages(&orig);
    assert!(site.to_string_lossy().contains("/lib/pypy3."), "PyPy's own layout: {}", site.display());
    assert_code(&ctx.run(&["clone", "./orig", "./copy"]), 0);
    let copy = ctx.work.join("copy");
    assert_works(&copy);
    assert_no_old_prefix(&copy, &orig);
    assert_no_leftovers(&ctx.work);

    let out = ctx.run(&["relocatable", "./copy"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("is relocatable"), "{}", stderr(&out));
    assert_runs_here(&copy);
    let moved = long_spaced_dir(&ctx).join("moved env");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(&copy, &moved).unwrap();
    assert_runs_here(&moved);
    assert_works(&moved);
    let copied = ctx.work.join("copied");
    ok(Command::new("cp").arg("-a").arg(&moved).arg(&copied));
    assert_runs_here(&copied);
    assert_works(&orig);
}
