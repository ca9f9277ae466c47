//! Everyday workflow without an interactive shell: the ENV resolver (through
//! `venvoy run`), `list`, `remove`, `use`, `run`'s exit codes and signals.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::*;

/// A sandbox with a named env `web` in the env home and a project env.
struct World {
    ctx: TestContext,
    home: PathBuf,
    web: PathBuf,
    proj: PathBuf,
}

fn world() -> World {
    let mut ctx = TestContext::new();
    let home = ctx.root.path().join("envs");
    ctx.env("VENVOY_HOME", &home);
    let py = supported_pythons().remove(0).1;
    let out = ctx.run(&["create", "--without-pip", "-p", py.to_str().unwrap(), "-n", "web"]);
    assert_code(&out, 0);
    let proj = ctx.work.join("proj");
    std::fs::create_dir_all(proj.join("src/deep")).unwrap();
    let out = ctx
        .venvoy()
        .current_dir(&proj)
        .args(["create", "--without-pip", "-p", py.to_str().unwrap()])
        .output()
        .unwrap();
    assert_code(&out, 0);
    World { web: home.join("web"), home, proj, ctx }
}

/// Which env `venvoy run` picks, seen from inside: `$VIRTUAL_ENV` of the child.
fn resolved(w: &World, cwd: &Path, env: Option<&str>, virtual_env: Option<&Path>) -> Output {
    let mut cmd = w.ctx.venvoy();
    cmd.current_dir(cwd).arg("run");
    if let Some(e) = env {
        cmd.args(["-e", e]);
    }
    cmd.args(["printenv", "VIRTUAL_ENV"]);
    if let Some(v) = virtual_env {
        cmd.env("VIRTUAL_ENV", v);
    }
    cmd.output().unwrap()
}

fn resolves_to(w: &World, cwd: &Path, env: Option<&str>, virtual_env: Option<&Path>, expected: &Path) {
    let out = resolved(w, cwd, env, virtual_env);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out).trim_end_matches('\n'),
        expected.to_str().unwrap(),
        "env {env:?} from {}",
        cwd.display()
    );
}

#[test]
fn resolver_rules() {
    let w = world();
    let venv = w.proj.join(".venv");
    // A path: contains `/`, or is `.`/`..`.
    resolves_to(&w, &w.ctx.work, Some("proj/.venv"), None, &venv);
    resolves_to(&w, &w.ctx.work, Some("./proj/.venv"), None, &venv);
    resolves_to(&w, &venv, Some("."), None, &venv);
    resolves_to(&w, &venv.join("bin"), Some(".."), None, &venv);
    resolves_to(&w, &w.ctx.work, Some(w.web.to_str().unwrap()), None, &w.web);
    // A bare word: a name in the env home.
    resolves_to(&w, &w.proj, Some("web"), None, &w.web);
    // No ENV: $VIRTUAL_ENV first, even inside a project.
    resolves_to(&w, &w.proj, None, Some(&w.web), &w.web);
    // Else the nearest `.venv` walking up.
    resolves_to(&w, &w.proj.join("src/deep"), None, None, &venv);

    // A pointer file naming an env, or holding a relative path.
    let p1 = w.ctx.work.join("p1/sub");
    std::fs::create_dir_all(&p1).unwrap();
    std::fs::write(w.ctx.work.join("p1/.venv"), "web\n").unwrap();
    resolves_to(&w, &p1, None, None, &w.web);
    let p2 = w.ctx.work.join("p2");
    std::fs::create_dir_all(&p2).unwrap();
    std::fs::write(p2.join(".venv"), "../proj/.venv\n").unwrap();
    resolves_to(&w, &p2, None, None, &venv);
    // A `.venv` symlink counts as the env it points to.
    let p3 = w.ctx.work.join("p3");
    std::fs::create_dir_all(&p3).unwrap();
    std::os::unix::fs::symlink(&w.web, p3.join(".venv")).unwrap();
    resolves_to(&w, &p3, None, None, &p3.join(".venv"));
    // Nested projects: the nearest wins.
    let inner = w.proj.join("src/inner");
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::write(inner.join(".venv"), "web").unwrap();
    resolves_to(&w, &inner, None, None, &w.web);
}

#[test]
fn resolver_errors_say_which_rule_and_what_was_found() {
    let w = world();
    // Garbage in a pointer file.
    let bad = w.ctx.work.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join(".venv"), "$(touch pwned); echo `id`\n").unwrap();
    let out = resolved(&w, &bad, None, None);
    assert_code(&out, 2);
    // PEP 832: a path relative to the file's directory, checked, never run.
    assert!(
        stderr(&out).contains("does not exist")
            && stderr(&out).contains(&format!("the pointer file `{}`", bad.join(".venv").display())),
        "{}",
        stderr(&out)
    );
    assert!(!bad.join("pwned").exists());
    // Not UTF-8: names nothing.
    std::fs::write(bad.join(".venv"), b"\xff\xfe/x\n").unwrap();
    let out = resolved(&w, &bad, None, None);
    assert_code(&out, 2);
    assert!(
        stderr(&out)
            .contains(&format!("the pointer file `{}` does not name an env", bad.join(".venv").display())),
        "{}",
        stderr(&out)
    );
    // A path in it that goes nowhere: named as such.
    std::fs::write(bad.join(".venv"), "$(touch pwned)/x\n").unwrap();
    let out = resolved(&w, &bad, None, None);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("does not exist") && stderr(&out).contains("the pointer file"),
        "{}",
        stderr(&out)
    );
    assert!(!bad.join("pwned").exists());
    // A pointer to a name that does not exist lists what does.
    std::fs::write(bad.join(".venv"), "nope\n").unwrap();
    let out = resolved(&w, &bad, None, None);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("no env named `nope`") && stderr(&out).contains("envs in the home: web"),
        "{}",
        stderr(&out)
    );
    // A path that is not a venv.
    let out = resolved(&w, &w.ctx.work, Some("./proj"), None);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("is not a venv") && stderr(&out).contains("named by a path"),
        "{}",
        stderr(&out)
    );
    // Nothing at all.
    let empty = w.ctx.root.path().join("nowhere");
    std::fs::create_dir_all(&empty).unwrap();
    let out = resolved(&w, &empty, None, None);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no env here"), "{}", stderr(&out));
    // A stale $VIRTUAL_ENV.
    let out = resolved(&w, &empty, None, Some(&empty.join("gone")));
    assert_code(&out, 2);
    assert!(stderr(&out).contains("`$VIRTUAL_ENV` is"), "{}", stderr(&out));
    // A dangling `.venv` link.
    let dangling = w.ctx.work.join("dangling");
    std::fs::create_dir_all(&dangling).unwrap();
    std::os::unix::fs::symlink("/nonexistent/env", dangling.join(".venv")).unwrap();
    let out = resolved(&w, &dangling, None, None);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
}

#[test]
fn run_sets_the_env_and_passes_exit_codes_and_signals() {
    use std::os::unix::process::ExitStatusExt;
    let w = world();
    let out = w
        .ctx
        .venvoy()
        .env("PYTHONHOME", "/bogus")
        .args([
            "run",
            "-e",
            "web",
            "python",
            "-c",
            "import os, sys; print(sys.prefix); print(os.environ.get('PYTHONHOME'))",
        ])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("{}\nNone\n", w.web.display()));

    let out = w.ctx.run(&["run", "-e", "web", "python", "-c", "import sys; sys.exit(7)"]);
    assert_code(&out, 7);

    // venvoy execs the program: a signal kills it exactly as if run directly,
    // and a shell reports 128+N.
    let out = w.ctx.run(&[
        "run",
        "-e",
        "web",
        "python",
        "-c",
        "import os, signal; os.kill(os.getpid(), signal.SIGTERM)",
    ]);
    assert_eq!(out.status.signal(), Some(15), "{out:?}");
    let venvoy = w.ctx.venvoy().get_program().to_owned();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("\"$0\" run -e web python -c 'import os; os.kill(os.getpid(), 9)'; echo \"status=$?\"")
        .arg(&venvoy)
        .envs(w.ctx.venvoy().get_envs().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))))
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), "status=137");

    // Arguments that look like flags go to the program.
    let out = w.ctx.run(&[
        "run",
        "-e",
        "web",
        "python",
        "-c",
        "import sys; print(sys.argv[1:])",
        "--version",
        "-q",
    ]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), "['--version', '-q']");

    // A command that is not there: where venvoy looked.
    let out = w.ctx.run(&["run", "-e", "web", "no-such-tool"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("`no-such-tool` was not found in the env")
            && err.contains(&format!("{}/bin", w.web.display())),
        "{err}"
    );
}

#[test]
fn list_shows_home_and_project_envs_and_survives_deleted_ones() {
    let w = world();
    let out = w.ctx.venvoy().env("VIRTUAL_ENV", &w.web).args(["list", "--json"]).output().unwrap();
    assert_code(&out, 0);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let web = rows.iter().find(|r| r["name"] == "web").expect("web listed");
    assert_eq!(web["active"], true);
    assert_eq!(web["interpreter_exists"], true);
    assert!(web["python_version"].as_str().unwrap().starts_with("3."));
    let proj = rows
        .iter()
        .find(|r| r["path"] == w.proj.join(".venv").to_str().unwrap())
        .expect("project env listed");
    assert_eq!(proj["projects"], serde_json::json!([w.proj.to_str().unwrap()]));
    assert_eq!(proj["active"], false);

    // Deleted by hand: still listed, as missing, and `list` does not fail.
    std::fs::remove_dir_all(w.proj.join(".venv")).unwrap();
    let out = w.ctx.run(&["list"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.contains(w.proj.join(".venv").to_str().unwrap()) && l.contains("missing")),
        "{text}"
    );
    assert!(text.lines().any(|l| l.contains("web")), "{text}");
    // `remove` forgets it.
    let out = w.ctx.run(&["remove", "--yes", w.proj.join(".venv").to_str().unwrap()]);
    assert_code(&out, 0);
    let out = w.ctx.run(&["list", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
}

#[test]
fn remove_only_ever_deletes_venvs() {
    let w = world();
    // A directory that is not a venv: refused, files stay.
    let data = w.home.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("precious.txt"), "keep me").unwrap();
    std::fs::write(data.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap(); // looks like one, lacks bin/
    let out = w.ctx.run(&["remove", "--yes", "data"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is not a venv"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(data.join("precious.txt")).unwrap(), "keep me");

    // No terminal and no --yes: refused.
    let out = w.ctx.run(&["remove", "web"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(w.web.exists());

    // The active env needs --force.
    let out = w.ctx.venvoy().env("VIRTUAL_ENV", &w.web).args(["remove", "--yes", "web"]).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is the active env"), "{}", stderr(&out));
    assert!(w.web.exists());

    // One bad ENV among good ones: nothing is deleted.
    let out = w.ctx.run(&["remove", "--yes", "web", "nope"]);
    assert_code(&out, 2);
    assert!(w.web.exists());

    let out = w.ctx.run(&["remove", "--yes", "web"]);
    assert_code(&out, 0);
    assert!(!w.web.exists());
    assert!(
        !w.home.read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains(".venvoy-"))
    );
}

#[test]
fn use_writes_a_pointer_file_and_unlink_removes_it() {
    let w = world();
    let app = w.ctx.work.join("app");
    std::fs::create_dir_all(&app).unwrap();
    let out = w.ctx.venvoy().current_dir(&app).args(["use", "web"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(std::fs::read_to_string(app.join(".venv")).unwrap(), format!("{}\n", w.web.display()));
    resolves_to(&w, &app, None, None, &w.web);
    // A path env is written as its absolute path.
    let out = w.ctx.venvoy().current_dir(&app).args(["use", "../proj/.venv"]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(
        std::fs::read_to_string(app.join(".venv")).unwrap().trim(),
        w.proj.join(".venv").to_str().unwrap()
    );
    // Never over a `.venv` directory.
    let out = w.ctx.venvoy().current_dir(&w.proj).args(["use", "web"]).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("is a directory"), "{}", stderr(&out));
    assert!(w.proj.join(".venv/pyvenv.cfg").is_file());
    // `remove --unlink` deletes the pointer files venvoy wrote for the env.
    let other = w.ctx.work.join("other");
    std::fs::create_dir_all(&other).unwrap();
    assert_code(&w.ctx.venvoy().current_dir(&other).args(["use", "web"]).output().unwrap(), 0);
    let out = w.ctx.run(&["remove", "--yes", "--force", "--unlink", "web"]);
    assert_code(&out, 0);
    assert!(!other.join(".venv").exists());
}

#[test]
fn activate_outside_the_integration_explains() {
    let w = world();
    let out = w.ctx.venvoy().current_dir(&w.proj).args(["activate"]).output().unwrap();
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("must run inside your shell") && err.contains("venvoy init bash"), "{err}");
    assert!(err.contains(&format!("source '{}/.venv/bin/activate'", w.proj.display())), "{err}");
}
