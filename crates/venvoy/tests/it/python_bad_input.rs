//! Bad interpreters and bad paths: each gives one clear error, and discovery
//! goes on past broken interpreters. The hanging, failing and lying
//! interpreters are shell scripts: no real Python behaves like them on purpose.

use std::os::unix::fs::PermissionsExt;

use crate::common::*;

fn expect_error(ctx: &TestContext, request: &str, message: &str) {
    let out =
        ctx.venvoy().env("VENVOY_QUERY_TIMEOUT", "1").args(["python", "find", request]).output().unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(message), "expected {message:?} in:\n{err}");
    assert!(err.contains(request), "the error names the path:\n{err}");
    assert!(err.contains("\nhint: "), "{err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
    assert!(out.stdout.is_empty(), "nothing on stdout for an error");
}

#[test]
fn hanging_interpreter_is_stopped() {
    let ctx = TestContext::new();
    let py = ctx.root.path().join("hang/python3");
    write_exe(&py, "#!/bin/sh\nexec sleep 30\n");
    let start = std::time::Instant::now();
    expect_error(&ctx, py.to_str().unwrap(), "did not answer within 1 s");
    assert!(start.elapsed().as_secs() < 10, "the timeout was not applied");
}

/// Whether the process `pid` is gone (or a zombie awaiting its reaper), waiting up to 5 s.
fn gone(pid: &str) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The state follows the command name in parentheses.
        let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start().chars().next());
        if stat.is_empty() || state == Some(Some('Z')) {
            return true;
        }
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_stopped_interpreter_takes_its_children_along() {
    let ctx = TestContext::new();
    // Hangs, and has started a grandchild of venvoy that would hang on.
    let dir = ctx.root.path().join("hang-tree");
    let py = dir.join("python3");
    write_exe(&py, "#!/bin/sh\nsleep 300 &\necho $! >\"$(dirname \"$0\")/grandchild.pid\"\nexec sleep 300\n");
    let start = std::time::Instant::now();
    expect_error(&ctx, py.to_str().unwrap(), "did not answer within 1 s");
    assert!(start.elapsed().as_secs() < 10, "the timeout was not applied");
    let pid = std::fs::read_to_string(dir.join("grandchild.pid")).unwrap();
    assert!(gone(pid.trim()), "the grandchild {} outlived the timeout", pid.trim());

    // Answers (garbage) and exits, leaving a child that holds its output open:
    // venvoy neither waits for it nor leaves it running.
    let dir = ctx.root.path().join("leave-child");
    let py = dir.join("python3");
    write_exe(
        &py,
        "#!/bin/sh\nsleep 300 &\necho $! >\"$(dirname \"$0\")/child.pid\"\necho 'not an answer'\n",
    );
    let start = std::time::Instant::now();
    expect_error(&ctx, py.to_str().unwrap(), "printed something that is not a Python query answer");
    assert!(start.elapsed().as_secs() < 10, "venvoy waited for the left-behind child");
    let pid = std::fs::read_to_string(dir.join("child.pid")).unwrap();
    assert!(gone(pid.trim()), "the child {} was left running", pid.trim());
}

#[test]
fn a_hanging_python3_on_path_is_named_when_passed_over() {
    let mut ctx = TestContext::new();
    let dir = ctx.root.path().join("hang-first");
    let py = dir.join("python3");
    write_exe(&py, "#!/bin/sh\nexec sleep 30\n");
    ctx.prepend_path(&dir);
    ctx.env("VENVOY_QUERY_TIMEOUT", "1");
    // No request: the default falls through to another Python, and says so.
    let out = ctx.run(&["python", "find"]);
    assert_code(&out, 0);
    let chosen = stdout(&out).trim().to_string();
    assert!(!chosen.is_empty() && chosen != py.to_string_lossy(), "{chosen}");
    let expected = format!(
        "warning: `python3` on PATH was skipped: `{}` did not answer within 1 s and was stopped; using `{chosen}` instead",
        py.display()
    );
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    let env = ctx.work.join("env");
    let out = ctx.venvoy().args(["create", "--without-pip"]).arg(&env).output().unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    // Asked for by name, it is not replaced by another: an error naming it.
    let out = ctx
        .venvoy()
        .args(["create", "--without-pip", "-p", "python3"])
        .arg(ctx.work.join("e2"))
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains(&format!("`{}` did not answer within 1 s", py.display())),
        "{}",
        stderr(&out)
    );
    assert!(!ctx.work.join("e2").exists());
}

#[test]
fn failing_interpreter() {
    let ctx = TestContext::new();
    let py = ctx.root.path().join("fail/python3");
    write_exe(&py, "#!/bin/sh\necho 'Fatal Python error: init failed' >&2\nexit 1\n");
    expect_error(
        &ctx,
        py.to_str().unwrap(),
        "exited with code 1 when queried: Fatal Python error: init failed",
    );
}

#[test]
fn interpreter_printing_garbage() {
    let ctx = TestContext::new();
    let py = ctx.root.path().join("garbage/python3");
    write_exe(&py, "#!/bin/sh\necho 'hello, I am not python'\n");
    expect_error(&ctx, py.to_str().unwrap(), "printed something that is not a Python query answer");
}

#[test]
fn file_that_is_not_python() {
    let ctx = TestContext::new();
    expect_error(&ctx, "/bin/true", "is not a Python interpreter");
}

#[test]
fn not_executable() {
    let ctx = TestContext::new();
    let py = ctx.root.path().join("noexec/python3");
    write_exe(&py, "#!/bin/sh\n");
    std::fs::set_permissions(&py, std::fs::Permissions::from_mode(0o644)).unwrap();
    expect_error(&ctx, py.to_str().unwrap(), "is not executable");
}

#[test]
fn dangling_symlink() {
    let ctx = TestContext::new();
    let link = ctx.root.path().join("python3");
    std::os::unix::fs::symlink("/nonexistent/python3.99", &link).unwrap();
    expect_error(&ctx, link.to_str().unwrap(), "is a broken symlink");
}

#[test]
fn missing_path_and_empty_directory() {
    let ctx = TestContext::new();
    expect_error(&ctx, ctx.root.path().join("nope/python").to_str().unwrap(), "does not exist");
    let dir = ctx.root.path().join("empty-dir");
    std::fs::create_dir_all(&dir).unwrap();
    expect_error(&ctx, dir.to_str().unwrap(), "is a directory with no Python interpreter in it");
}

#[test]
fn unsupported_interpreters_name_the_minimum() {
    let ctx = TestContext::new();
    for version in pyenv_versions().iter().filter(|v| v.starts_with("2.") || v.starts_with("3.6")) {
        let prefix = pyenv_root().unwrap().join("versions").join(version);
        let out = ctx.run(&["python", "find", prefix.to_str().unwrap()]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("CPython {version}")) && err.contains("venvoy needs Python 3.7 or newer"),
            "{err}"
        );
    }
}

/// Broken interpreters on PATH are skipped (and reported with -v); the good ones are still listed.
#[test]
fn broken_interpreters_do_not_hide_good_ones() {
    let mut ctx = TestContext::new();
    let dir = ctx.root.path().join("broken-bin");
    std::fs::create_dir_all(&dir).unwrap();
    // Not Python at all (a real binary that exits 1), a dangling link, a non-executable file.
    std::fs::copy("/bin/false", dir.join("python3.98")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/python", dir.join("python3.97")).unwrap();
    std::fs::write(dir.join("python3.96"), "").unwrap();
    // A PATH entry that is a file, not a directory.
    let not_dir = ctx.root.path().join("not-a-dir");
    std::fs::write(&not_dir, "").unwrap();
    ctx.prepend_path(&not_dir);
    ctx.prepend_path(&dir);

    let out = ctx.run(&["-v", "python", "list", "--json"]);
    assert_code(&out, 0);
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let debian = std::fs::canonicalize("/usr/bin/python3").unwrap();
    assert!(list.iter().any(|e| e["path"] == debian.to_str().unwrap()), "good interpreters still listed");
    assert!(!list.iter().any(|e| e["path"].as_str().unwrap().contains("broken-bin")));
    let err = stderr(&out);
    for name in ["python3.98", "python3.97", "python3.96"] {
        assert!(err.contains(&format!("{}/{name}", dir.display())), "{name} not reported:\n{err}");
    }
    assert!(err.contains("not-a-dir"), "{err}");

    // Without -v, nothing is said about them.
    let out = ctx.run(&["python", "list"]);
    assert_code(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_killed_runs_query_cache_temp_file_is_removed_by_the_next_write() {
    let ctx = TestContext::new();
    let py = supported_pythons().remove(0).1;
    let py_arg = py.to_str().unwrap();
    assert_code(&ctx.run(&["python", "find", py_arg]), 0);
    // The query cache: the directory under the cache holding the answer.
    let dir = std::fs::read_dir(&ctx.cache)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|d| {
            std::fs::read_dir(d).is_ok_and(|mut es| {
                es.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json")))
            })
        })
        .expect("a query cache directory");
    // What a run killed inside `write_atomic` leaves (its pid cannot be running: past pid_max).
    let stale = dir.join(".0123456789abcdef01234567.json.venvoy-4194305-Ab1c2D");
    std::fs::write(&stale, "{\"half\":").unwrap();
    for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
        if entry.path().extension().is_some_and(|x| x == "json") {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    assert_code(&ctx.run(&["python", "find", py_arg]), 0);
    assert!(!stale.exists(), "the stale temporary file is still there");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".venvoy-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
