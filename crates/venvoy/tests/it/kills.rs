//! SIGKILL at random moments during `seed`, `doctor --fix`, `relocatable`
//! and `remove`: after each kill and one rerun the env works (`python -m pip
//! --version`), no temporary file remains, and `doctor` says ok.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::clone::{jitter, run_and_kill};
use crate::common::*;

const OFFLINE_INDEX: &str = "http://127.0.0.1:9/simple";

/// Every path under `dir` (and `dir`'s siblings) whose name venvoy uses for temporary files.
fn temp_names(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    if let Some(parent) = dir.parent() {
        for e in std::fs::read_dir(parent).unwrap().filter_map(Result::ok) {
            if e.file_name().to_string_lossy().contains(".venvoy-") {
                found.push(e.path());
            }
        }
    }
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains(".venvoy-") || name.starts_with(".tmp") {
                found.push(e.path());
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    found
}

fn copy_env(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).unwrap();
    }
    assert!(Command::new("cp").arg("-a").arg(from).arg(to).status().unwrap().success());
}

fn pip_works(env: &Path) -> Result<(), String> {
    let out = Command::new(env.join("bin/python"))
        .args(["-m", "pip", "--version"])
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env_remove("VIRTUAL_ENV")
        .output()
        .unwrap();
    if out.status.success() { Ok(()) } else { Err(format!("{}{}", stdout(&out), stderr(&out))) }
}

/// Remove pip from a copy of the seeded env, so `seed` has all of it to do.
fn strip_pip(env: &Path) {
    let lib = std::fs::read_dir(env.join("lib")).unwrap().next().unwrap().unwrap().path();
    let site = lib.join("site-packages");
    for e in std::fs::read_dir(&site).unwrap().filter_map(Result::ok) {
        if e.file_name().to_string_lossy().starts_with("pip") {
            std::fs::remove_dir_all(e.path()).unwrap();
        }
    }
    for e in std::fs::read_dir(env.join("bin")).unwrap().filter_map(Result::ok) {
        if e.file_name().to_string_lossy().starts_with("pip") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
}

#[test]
fn killed_at_random_moments_a_rerun_leaves_a_working_env() {
    let mut ctx = TestContext::new();
    ctx.env("PIP_INDEX_URL", OFFLINE_INDEX);
    let py = supported_pythons().remove(0).1;
    let base = ctx.work.join("base");
    let out = ctx.venvoy().args(["create", "-p"]).arg(&py).arg(&base).output().unwrap();
    assert_code(&out, 0);
    pip_works(&base).unwrap();
    let env = ctx.work.join("e");
    let env_arg = env.to_str().unwrap();

    // How long each operation takes here, to kill within it.
    let ops: [(&str, &[&str]); 4] = [
        ("seed", &["seed", "-e", env_arg, "pip"]),
        ("doctor", &["doctor", "--fix", env_arg]),
        ("relocatable", &["relocatable", env_arg]),
        ("remove", &["remove", "--yes", env_arg]),
    ];
    let prepare = |op: &str| {
        if op == "doctor" {
            // A plain copy is "moved": `doctor --fix` has shebangs and activation scripts to rewrite.
            copy_env(&base, &env);
            return;
        }
        if env.exists() {
            std::fs::remove_dir_all(&env).unwrap();
        }
        let out = ctx.venvoy().arg("clone").arg(&base).arg(&env).output().unwrap();
        assert_code(&out, 0);
        if op == "seed" {
            strip_pip(&env);
        }
    };
    let mut max_ms = Vec::new();
    for (op, args) in ops {
        prepare(op);
        let start = Instant::now();
        let out = ctx.venvoy().args(args).output().unwrap();
        assert_code(&out, 0);
        max_ms.push((start.elapsed().as_millis() as u64).max(5));
    }

    let mut kills = 0;
    // Bounded even on a loaded machine: most runs are killed, each round takes seconds.
    let deadline = Instant::now() + Duration::from_secs(600);
    let mut round = 0u64;
    while kills < 40 {
        assert!(Instant::now() < deadline, "40 kills took too long ({kills} so far)");
        let i = (round % 4) as usize;
        let (op, args) = ops[i];
        prepare(op);
        let argv: Vec<&Path> = args.iter().map(Path::new).collect();
        // Within the first 80% of a full run, so nearly every run is cut short.
        if run_and_kill(&ctx, &argv, jitter(max_ms[i] * 4 / 5 + 1, round)) {
            kills += 1;
        }
        round += 1;
        // One rerun finishes the job.
        let out = ctx.venvoy().args(args).output().unwrap();
        if op == "remove" {
            // The rerun deleted it, or finished what the killed run had moved
            // aside, or finds nothing because the killed run had finished.
            assert!(
                out.status.success() || stderr(&out).contains("does not exist"),
                "round {round}: rerun of remove: {}",
                stderr(&out)
            );
            assert!(!env.exists(), "round {round}: the env is still there");
            let left = temp_names(&env);
            assert!(left.is_empty(), "round {round}: remove left {left:?}");
            continue;
        }
        assert_code(&out, 0);
        if let Err(e) = pip_works(&env) {
            panic!("round {round} ({op}): pip does not work after the rerun: {e}");
        }
        let out = ctx.run(&["doctor", env_arg]);
        assert!(out.status.success(), "round {round} ({op}): doctor: {}", stdout(&out));
        let left = temp_names(&env);
        assert!(left.is_empty(), "round {round} ({op}): left behind {left:?}");
    }
    eprintln!("{kills} kills in {round} rounds");
}
