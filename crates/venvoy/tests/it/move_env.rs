//! `venvoy move`: the env works at its new place and names only it, venvoy's
//! registry and pointer files follow, and a move killed at any moment leaves
//! one complete env, at the old place or the new one.

use std::path::Path;

use crate::clone::{
    assert_no_leftovers, assert_no_old_prefix, assert_works, jitter, long_spaced_dir, ok, rich_env,
    run_and_kill, timed,
};
use crate::common::{TestContext, assert_code, missing, stderr};

fn registry_path(ctx: &TestContext) -> std::path::PathBuf {
    ctx.home.join(".local/share/venvoy/registry.json")
}

#[test]
fn move_there_and_back_fixing_every_path_and_venvoys_records() {
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env(&ctx, &orig).is_none() {
        return;
    }
    // A project linked to the env by a pointer file venvoy wrote.
    let project = ctx.work.join("proj");
    std::fs::create_dir_all(&project).unwrap();
    let pointer = project.join(".venv");
    std::fs::write(&pointer, format!("{}\n", orig.display())).unwrap();
    let registry = registry_path(&ctx);
    std::fs::create_dir_all(registry.parent().unwrap()).unwrap();
    let entry = serde_json::json!({"version": 1, "envs": [
        {"path": orig, "project": project, "pointer_files": [pointer]}
    ]});
    std::fs::write(&registry, entry.to_string()).unwrap();

    let long = long_spaced_dir(&ctx).join("moved env");
    let out = ctx.venvoy().arg("move").arg(&orig).arg(&long).output().unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Moved `"), "{}", stderr(&out));
    assert!(!orig.exists());
    assert_no_leftovers(&ctx.work);
    assert!(std::fs::read_to_string(long.join("bin/alpha-cli")).unwrap().starts_with("#!/bin/sh\n"));
    assert_works(&long);
    assert_no_old_prefix(&long, &orig);
    assert_eq!(std::fs::read_to_string(&pointer).unwrap(), format!("{}\n", long.display()));
    let envs: serde_json::Value = serde_json::from_slice(&std::fs::read(&registry).unwrap()).unwrap();
    assert_eq!(envs["envs"][0]["path"].as_str().map(Path::new), Some(long.as_path()), "{envs}");
    assert_eq!(envs["envs"].as_array().unwrap().len(), 1);

    // Back to a short path, by running it from the project (ENV by pointer file's target path).
    let back = ctx.work.join("back");
    let out = ctx.venvoy().arg("move").arg(&long).arg("./back").output().unwrap();
    assert_code(&out, 0);
    assert!(!long.exists());
    assert_no_leftovers(long.parent().unwrap());
    assert!(
        std::fs::read_to_string(back.join("bin/alpha-cli"))
            .unwrap()
            .starts_with(&format!("#!{}", back.display()))
    );
    assert_works(&back);
    assert_no_old_prefix(&back, &long);
    assert_no_old_prefix(&back, &orig);
    assert_eq!(std::fs::read_to_string(&pointer).unwrap(), format!("{}\n", back.display()));
}

#[test]
fn interrupted_move_leaves_one_complete_env() {
    let ctx = TestContext::new();
    let orig = ctx.work.join("orig");
    if rich_env(&ctx, &orig).is_none() {
        return;
    }
    let dest = ctx.work.join("dest");
    let there = [Path::new("move"), &orig, &dest];
    let back = [Path::new("move"), &dest, &orig];
    let full = timed(&ctx, &there);
    let _ = timed(&ctx, &back);
    let max = (full.as_millis() as u64).max(5) * 3 / 2;
    let mut killed = 0;
    for round in 0..12u64 {
        if run_and_kill(&ctx, &there, jitter(max, round)) {
            killed += 1;
        }
        let complete = |env: &Path| env.join("pyvenv.cfg").is_file() && env.join("bin/alpha-cli").is_file();
        match (orig.exists(), dest.exists()) {
            // Not moved yet: the source is whole.
            (true, false) => assert!(complete(&orig), "round {round}"),
            // Published, the source not yet taken away: both whole; drop the copy.
            (true, true) => {
                assert!(complete(&orig) && complete(&dest), "round {round}");
                std::fs::remove_dir_all(&dest).unwrap();
            }
            // Moved: the env is whole at its new place; move it back for the next round.
            (false, true) => {
                assert!(complete(&dest), "round {round}");
                let _ = timed(&ctx, &back);
            }
            (false, false) => panic!("round {round}: the env is gone"),
        }
        ok(&mut std::process::Command::new(orig.join("bin/alpha-cli")));
    }
    assert!(killed > 0, "no run was interrupted");
    assert_works(&orig);
    // Leftovers of killed runs go with the next complete run.
    let _ = timed(&ctx, &there);
    assert_no_leftovers(&ctx.work);
    assert_works(&dest);
    assert_no_old_prefix(&dest, &orig);
}

#[test]
fn move_across_file_systems_copies_then_deletes() {
    use std::os::unix::fs::MetadataExt;
    let ctx = TestContext::new();
    let shm = Path::new("/dev/shm");
    let dev = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
    if !shm.is_dir() || dev(shm) == dev(&ctx.work) {
        return missing("a second file system at /dev/shm");
    }
    let orig = ctx.work.join("orig");
    if crate::clone::plain_env(&orig).is_none() {
        return;
    }
    let other = tempfile::Builder::new().prefix("venvoy-test-").tempdir_in(shm).unwrap();
    let there = other.path().join("env");
    let out = ctx.venvoy().arg("move").arg("--json").arg(&orig).arg(&there).output().unwrap();
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["same_file_system"], false, "{json}");
    assert!(json["files"]["copied"].as_u64().unwrap() > 0, "{json}");
    assert!(!orig.exists());
    assert_no_leftovers(&ctx.work);
    assert_no_leftovers(other.path());
    let prefix =
        ok(std::process::Command::new(there.join("bin/python"))
            .args(["-c", "import sys; print(sys.prefix)"]));
    assert_eq!(Path::new(String::from_utf8_lossy(&prefix.stdout).trim()), there);
    assert_no_old_prefix(&there, &orig);

    let out = ctx.venvoy().arg("move").arg(&there).arg(&orig).output().unwrap();
    assert_code(&out, 0);
    assert!(!there.exists() && orig.join("lib/data/blob.txt").is_file());
    assert_no_old_prefix(&orig, &there);
}
