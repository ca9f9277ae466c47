//! Create and fill in one step (`create -r FILE -i PKG`, with pip or uv),
//! and the first use of a project creating its env (`run`, `shell`,
//! `workon .`), with wheels built here and found through `--find-links`
//! (no network). The cd hook's hint for a project without an env is in
//! `first_use_hooked_shells`; its zero-cost property in `shells.rs`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::peer;
use crate::common::*;
use crate::packages::{base_python, build_wheels, editable_project};
use crate::shells::{Session, quote, skip};

/// A sandbox whose pip finds the test wheels offline, and the wheels.
fn offline() -> Option<(TestContext, PathBuf, PathBuf)> {
    let python = require("a CPython with ensurepip", base_python())?;
    let mut ctx = TestContext::new();
    let wheels = build_wheels(&python, ctx.root.path(), 0);
    ctx.env("PIP_NO_INDEX", "1").env("PIP_FIND_LINKS", &wheels);
    ctx.env("UV_NO_INDEX", "1").env("UV_FIND_LINKS", &wheels).env("UV_OFFLINE", "1");
    ctx.env("VENVOY_HOME", ctx.root.path().join("envs"));
    Some((ctx, python, wheels))
}

fn imports(env: &Path, module: &str) -> bool {
    std::process::Command::new(env.join("bin/python"))
        .args(["-c", &format!("import {module}")])
        .output()
        .unwrap()
        .status
        .success()
}

#[track_caller]
fn assert_venv(path: &Path) {
    assert!(path.join("pyvenv.cfg").is_file(), "`{}` is a venv", path.display());
}

#[test]
fn create_installs_requirements_and_packages_with_pip() {
    let Some((ctx, python, _)) = offline() else { return };
    std::fs::write(ctx.work.join("requirements.txt"), "alpha.pkg\n").unwrap();
    let out = ctx.run(&[
        "create",
        "-p",
        python.to_str().unwrap(),
        "-r",
        "requirements.txt",
        "-i",
        "beta_pkg",
        "--json",
        "env",
    ]);
    assert_code(&out, 0);
    // pip's output is progress on stderr: stdout stays the JSON result.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is only JSON");
    assert_eq!(json["installed_with"], "pip");
    assert!(stderr(&out).contains("Successfully installed"), "{}", stderr(&out));
    let env = ctx.work.join("env");
    assert!(imports(&env, "alpha_pkg") && imports(&env, "beta_pkg"), "both installed");
    // What venvoy reads from disk agrees with what pip installed.
    let listed = stdout(&ctx.run(&["packages", "./env", "--freeze"]));
    assert!(listed.contains("Alpha.Pkg==1.0") && listed.contains("beta_pkg==2.0.0rc1"), "{listed}");
}

#[test]
fn a_failed_install_removes_the_new_env_unless_asked_to_keep_it() {
    let Some((ctx, python, _)) = offline() else { return };
    let py = python.to_str().unwrap();
    let out = ctx.run(&["create", "-p", py, "-i", "gamma", "-i", "no-such-dist", "gone"]);
    // pip's status and its own error come through.
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("No matching distribution found for no-such-dist"), "{err}");
    assert!(err.contains("pip exited with 1; the new venv was removed"), "{err}");
    assert!(err.contains("hint:") && err.contains("--keep-on-failure"), "{err}");
    assert!(!ctx.work.join("gone").exists(), "removed");
    assert!(ctx.work.read_dir().unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains("gone")));

    let out = ctx.run(&["create", "-p", py, "-i", "no-such-dist", "--keep-on-failure", "kept"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("the new venv was kept (`--keep-on-failure`)"), "{err}");
    assert!(err.contains("venvoy remove"), "{err}");
    assert_venv(&ctx.work.join("kept"));
    // Kept means usable: its pip works.
    assert!(imports(&ctx.work.join("kept"), "pip"));

    // An env that existed before is never removed.
    let out = ctx.run(&["create", "-p", py, "--allow-existing", "-i", "no-such-dist", "kept"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("which existed before, was kept"), "{}", stderr(&out));
    assert_venv(&ctx.work.join("kept"));
}

#[test]
fn bad_install_requests_fail_before_anything_is_made() {
    let ctx = TestContext::new();
    let fifo = ctx.work.join("fifo.txt");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    std::fs::create_dir(ctx.work.join("adir")).unwrap();
    let mut no_uv = TestContext::new();
    no_uv.path = std::env::join_paths(["/nonexistent-bin"]).unwrap();
    let cases: [(&TestContext, &[&str], &str); 7] = [
        (&ctx, &["-r", "missing.txt"], "does not exist"),
        (&ctx, &["-r", "fifo.txt"], "is not a regular file"),
        (&ctx, &["-r", "adir"], "is not a regular file"),
        (&ctx, &["-i", " "], "empty package"),
        (&ctx, &["-i=--index-url=http://x"], "is an installer option"),
        (&ctx, &["--without-pip", "-i", "attrs"], "leaves no pip"),
        (&no_uv, &["--installer", "uv", "-i", "attrs"], "there is no `uv` on PATH"),
    ];
    for (ctx, args, says) in cases {
        let out = ctx.venvoy().arg("create").args(args).arg("env").output().unwrap();
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(says) && err.contains("hint:"), "{args:?}: {err}");
        assert!(!ctx.work.join("env").exists(), "{args:?}: nothing made");
    }
}

#[test]
fn create_installs_with_uv_when_asked() {
    let Some((mut ctx, python, wheels)) = offline() else { return };
    let Some(uv) = require("uv (bench/setup.sh or target/peers)", peer("uv")) else { return };
    ctx.prepend_path(uv.parent().unwrap());
    ctx.env("UV_CACHE_DIR", ctx.root.path().join("uv-cache"));
    std::fs::write(
        ctx.work.join("reqs.txt"),
        format!("--no-index\n--find-links {}\nalpha.pkg\n", wheels.display()),
    )
    .unwrap();
    // Without pip in the env, only uv can have installed them.
    let out = ctx.run(&[
        "create",
        "-p",
        python.to_str().unwrap(),
        "--without-pip",
        "--installer",
        "uv",
        "-r",
        "reqs.txt",
        "-i",
        "gamma",
        "env",
    ]);
    assert_code(&out, 0);
    let env = ctx.work.join("env");
    assert!(!imports(&env, "pip"), "no pip");
    assert!(imports(&env, "alpha_pkg") && imports(&env, "gamma"), "{}", stderr(&out));

    let out = ctx.run(&[
        "create",
        "-p",
        python.to_str().unwrap(),
        "--installer",
        "uv",
        "-i",
        "no-such-dist",
        "bad",
    ]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("uv exited with"), "{}", stderr(&out));
    assert!(!ctx.work.join("bad").exists());
}

fn run_in(ctx: &TestContext, dir: &Path, args: &[&str]) -> Output {
    ctx.venvoy().current_dir(dir).args(args).output().unwrap()
}

#[test]
fn first_run_in_a_project_creates_installs_and_runs() {
    let Some((ctx, _, _)) = offline() else { return };
    let project = ctx.work.join("app");
    std::fs::create_dir_all(project.join("src/deep")).unwrap();
    std::fs::write(project.join("requirements.txt"), "alpha.pkg\n").unwrap();
    let program = "import alpha_pkg, sys; print(alpha_pkg.VERSION); sys.exit(7)";
    let start = std::time::Instant::now();
    let out = run_in(&ctx, &project.join("src/deep"), &["run", "python", "-c", program]);
    let first = start.elapsed();
    // The program's status and its output, and nothing else, on stdout.
    assert_code(&out, 7);
    assert_eq!(stdout(&out), "1.0\n");
    let err = stderr(&out);
    let created: Vec<&str> = err.lines().filter(|l| l.starts_with("venvoy: created")).collect();
    assert_eq!(created.len(), 1, "one line says so: {err}");
    assert!(created[0].contains(project.join(".venv").to_str().unwrap()), "{err}");
    assert!(err.contains("Successfully installed"), "pip's progress shown: {err}");
    assert_venv(&project.join(".venv"));
    // The new env is venvoy's: listed, and trusted for activation on cd.
    assert!(stdout(&ctx.run(&["list"])).contains(project.join(".venv").to_str().unwrap()));

    // Second run: nothing created, nothing said.
    let cfg = std::fs::metadata(project.join(".venv/pyvenv.cfg")).unwrap();
    let start = std::time::Instant::now();
    let out = run_in(&ctx, &project, &["run", "python", "-c", "import alpha_pkg, sys; sys.exit(3)"]);
    let second = start.elapsed();
    assert_code(&out, 3);
    assert_eq!(stderr(&out), "", "nothing to say on the second run");
    let again = std::fs::metadata(project.join(".venv/pyvenv.cfg")).unwrap();
    assert_eq!(std::os::unix::fs::MetadataExt::ino(&cfg), std::os::unix::fs::MetadataExt::ino(&again));
    eprintln!("first run (create + install + run): {first:?}; second run: {second:?}");
}

#[test]
fn no_create_no_marker_and_install_project() {
    let Some((mut ctx, _, _)) = offline() else { return };
    let fresh = ctx.work.join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("setup.cfg"), "[metadata]\nname = fresh\n").unwrap();
    // `--no-create`: fails with a hint, creates nothing.
    let out = run_in(&ctx, &fresh, &["run", "--no-create", "python", "-c", "1"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("has no env yet") && err.contains("hint:") && err.contains("venvoy create"),
        "{err}"
    );
    assert!(!fresh.join(".venv").exists());
    // A directory with no project marker: nothing created.
    let plain = ctx.work.join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let out = run_in(&ctx, &plain, &["run", "python", "-c", "1"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no env here"), "{}", stderr(&out));
    assert!(!plain.join(".venv").exists());
    // A bad `VENVOY_NO_CREATE` is an error, not a guess.
    let out = ctx
        .venvoy()
        .current_dir(&fresh)
        .env("VENVOY_NO_CREATE", "maybe")
        .args(["run", "true"])
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("VENVOY_NO_CREATE=maybe"), "{}", stderr(&out));

    // A pyproject-only project: its env is made, the project is not installed...
    let project = editable_project(ctx.root.path());
    let out = run_in(&ctx, &project, &["run", "python", "-c", "import edpkg"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("venvoy: created"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Successfully installed"), "{}", stderr(&out));
    // ...unless asked, on creation.
    let other = ctx.root.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    let project = editable_project(&other);
    let out = run_in(&ctx, &project, &["run", "--install-project", "python", "-c", "import edpkg"]);
    assert_code(&out, 0);

    // With `VENVOY_NO_CREATE=1`, `shell` creates nothing either.
    ctx.env("VENVOY_NO_CREATE", "1");
    let out = run_in(&ctx, &fresh, &["shell"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("`VENVOY_NO_CREATE` says not to"), "{}", stderr(&out));
    assert!(!fresh.join(".venv").exists());
}

#[test]
fn a_project_linked_to_a_missing_home_env_gets_it_there() {
    let Some((ctx, python, _)) = offline() else { return };
    let project = ctx.work.join("linked");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("pyproject.toml"), "[project]\nname = \"linked\"\n").unwrap();
    std::fs::write(project.join(".python-version"), format!("{}\n", python_version(&python))).unwrap();
    std::fs::write(project.join(".venv"), "linked-env\n").unwrap();
    let out = run_in(&ctx, &project, &["run", "python", "-c", "import sys; print(sys.prefix)"]);
    assert_code(&out, 0);
    let env = ctx.root.path().join("envs/linked-env");
    assert_eq!(stdout(&out).trim(), env.to_str().unwrap());
    assert_venv(&env);
    assert!(project.join(".venv").is_file(), "the link is kept as it was");
    // A `.venv` file naming a missing env outside the env home is not ours to make.
    let elsewhere = ctx.work.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("setup.py"), "").unwrap();
    std::fs::write(elsewhere.join(".venv"), "../somewhere/env\n").unwrap();
    let out = run_in(&ctx, &elsewhere, &["run", "python", "-c", "1"]);
    assert_code(&out, 2);
    assert!(!ctx.work.join("somewhere").exists());
}

/// A hooked shell entering a project without an env: one hint line per
/// entry, nothing created; `workon .` creates and activates it.
fn hooked(shell: &str) {
    if skip(shell) {
        return;
    }
    let ctx = TestContext::new();
    let project = ctx.work.join("proj");
    std::fs::create_dir_all(project.join("sub")).unwrap();
    std::fs::write(project.join("setup.cfg"), "[metadata]\nname = proj\n").unwrap();
    let outside = ctx.work.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let venvoy = quote(ctx.venvoy().get_program().to_str().unwrap());
    let (args, init): (&[&str], String) = match shell {
        "bash" => (&["--norc", "--noprofile", "-i"], format!("eval \"$({venvoy} init bash --auto)\"")),
        "zsh" => (&["-f", "-i"], format!("eval \"$({venvoy} init zsh --auto)\"")),
        "fish" => (&["--no-config", "-i"], format!("{venvoy} init fish --auto | source")),
        _ => unreachable!(),
    };
    let mut s = Session::start(&ctx, shell, args).expect("start the shell");
    s.run(&init);
    let cd = |path: &Path| format!("cd {}", quote(path.to_str().unwrap()));
    let hints = |s: &Session| {
        s.wait_for(&format!("@@done{}@@", s.step)).matches("is a Python project without an env").count()
    };
    s.run(&cd(&project));
    assert_eq!(hints(&s), 1, "{shell}: one hint on entry");
    s.run("true");
    s.run(&cd(&project.join("sub")));
    assert_eq!(hints(&s), 1, "{shell}: nothing more inside the same project");
    assert!(!project.join(".venv").exists(), "{shell}: the hook creates nothing");
    s.run(&cd(&outside));
    s.run(&cd(&project));
    assert_eq!(hints(&s), 2, "{shell}: once per entry");
    assert_eq!(s.state().0, "", "{shell}: nothing active");
    assert!(!project.join(".venv").exists(), "{shell}: the hook creates nothing");
    assert_ne!(s.status_of("workon . --no-create"), "0", "{shell}: `workon . --no-create` fails");
    assert!(!project.join(".venv").exists(), "{shell}: `--no-create` created nothing");
    // `workon .` is a command the user ran: it creates the env and activates it.
    s.run("workon .");
    assert_eq!(s.state().0, project.join(".venv").to_str().unwrap(), "{shell}: workon . activated it");
    assert_venv(&project.join(".venv"));
}

#[test]
fn first_use_hooked_bash() {
    hooked("bash");
}

#[test]
fn first_use_hooked_zsh() {
    hooked("zsh");
}

#[test]
fn first_use_hooked_fish() {
    hooked("fish");
}

/// xonsh and nushell: the same hint from their hooks, and `workon .`
/// creating the env. nushell runs `env_change` hooks only at its prompt, so
/// its script calls the hook after each `cd` as the prompt would.
#[test]
fn first_use_in_xonsh_and_nushell() {
    use crate::integration_other::tool;
    let shells = [("xonsh", tool("xonsh-venv/bin/xonsh", "xonsh")), ("nu", tool("nu/bin/nu", "nu"))];
    for (shell, program) in shells {
        let Some(program) = require(shell, program) else { continue };
        let ctx = TestContext::new();
        let project = ctx.work.join("proj");
        std::fs::create_dir_all(project.join("sub")).unwrap();
        std::fs::write(project.join("pyproject.toml"), "[project]\nname = \"proj\"\n").unwrap();
        let outside = ctx.work.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        let out = ctx.run(&["init", shell, "--auto"]);
        assert_code(&out, 0);
        let file = ctx.root.path().join(if shell == "xonsh" { "venvoy.xsh" } else { "venvoy.nu" });
        std::fs::write(&file, &out.stdout).unwrap();
        let q = |p: &Path| quote(p.to_str().unwrap());
        let dirs = [project.clone(), project.join("sub"), outside.clone(), project.clone()];
        let mut cmd = std::process::Command::new(&program);
        cmd.env_clear();
        ctx.sandbox_env(&mut cmd);
        cmd.current_dir(&ctx.work);
        if shell == "xonsh" {
            let mut script = format!("source {}\n", q(&file));
            for d in &dirs {
                script.push_str(&format!("cd {}\n", q(d)));
            }
            script
                .push_str("print('MADE=' + str(p'.venv'.exists()))\nworkon .\nprint('VE=' + $VIRTUAL_ENV)\n");
            let path = ctx.root.path().join("drive.xsh");
            std::fs::write(&path, script).unwrap();
            cmd.args(["--no-rc", path.to_str().unwrap()]);
        } else {
            let mut script = format!("source {}; ", q(&file));
            for d in &dirs {
                script.push_str(&format!("cd {}; __venvoy_auto; ", q(d)));
            }
            script.push_str(
                "print $'MADE=(\".venv\" | path exists)'; workon .; print $'VE=($env.VIRTUAL_ENV)'",
            );
            cmd.args(["--no-config-file", "-c", &script]);
        }
        let out = cmd.output().unwrap();
        let (text, err) = (stdout(&out), stderr(&out));
        assert!(out.status.success(), "{shell}: {text}\n{err}");
        assert_eq!(
            err.matches("is a Python project without an env").count(),
            2,
            "{shell}: once per entry: {err}"
        );
        assert!(
            text.contains("MADE=false") || text.contains("MADE=False"),
            "{shell}: the hook creates nothing: {text}"
        );
        assert!(text.contains(&format!("VE={}", project.join(".venv").display())), "{shell}: {text}\n{err}");
        assert_venv(&project.join(".venv"));
    }
}

/// `venvoy shell` in a project without an env creates it, then starts the
/// shell with it active.
#[test]
fn first_shell_creates_the_env() {
    let ctx = TestContext::new();
    let project = ctx.work.join("proj");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("setup.py"), "").unwrap();
    let mut child = ctx
        .venvoy()
        .current_dir(&project)
        .arg("shell")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        b"printf '@@%s@@\\n' \"$VIRTUAL_ENV\"\nexit 4\n",
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 4);
    assert!(stderr(&out).contains("venvoy: created"), "{}", stderr(&out));
    assert!(stdout(&out).contains(&format!("@@{}@@", project.join(".venv").display())), "{}", stdout(&out));
    assert_venv(&project.join(".venv"));
}

/// A first creation whose requirements fail: pip's error, the env removed
/// (so the next run tries again), the command not run.
#[test]
fn a_failed_first_install_leaves_no_env() {
    let Some((ctx, _, _)) = offline() else { return };
    let project = ctx.work.join("broken");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "no-such-dist\n").unwrap();
    let marker = ctx.root.path().join("ran");
    let out = run_in(&ctx, &project, &["run", "touch", marker.to_str().unwrap()]);
    assert_code(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("No matching distribution found for no-such-dist"), "{err}");
    assert!(err.contains("pip exited with 1; the new env was removed") && err.contains("hint:"), "{err}");
    assert!(!project.join(".venv").exists(), "removed");
    assert!(!marker.exists(), "the command did not run");
}

/// Two commands started together in a fresh project: the env is made once,
/// and both run with its requirements installed.
#[test]
fn two_first_runs_at_once_make_one_env() {
    let Some((ctx, _, _)) = offline() else { return };
    let project = ctx.work.join("twice");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "alpha.pkg\n").unwrap();
    let children: Vec<_> = (0..2)
        .map(|i| {
            ctx.venvoy()
                .current_dir(&project)
                .args(["run", "python", "-c", &format!("import alpha_pkg, sys; sys.exit({})", 10 + i)])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    for (i, out) in outs.iter().enumerate() {
        assert_code(out, 10 + i as i32);
    }
    let created: usize = outs.iter().map(|o| stderr(o).matches("venvoy: created").count()).sum();
    assert_eq!(created, 1, "made once: {}\n{}", stderr(&outs[0]), stderr(&outs[1]));
}
