//! Hostile checkouts: nothing a directory holds runs, lands on PATH or hangs
//! the shell on `cd` until `venvoy allow`; trust follows the env, not the
//! path. Real interactive bash, zsh, fish, nushell and xonsh on a pty (the
//! `shells` harness).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::shells::{Kind, Session, quote, skip};

const NOTICE: &str = "run `venvoy allow` to activate it on cd";

/// A venv made by the stdlib (so venvoy never trusted it) whose activation
/// scripts and `bin/ls` leave a marker in `markers`.
fn hostile_env(python: &Path, root: &Path, markers: &Path) {
    let out = Command::new(python).args(["-m", "venv", "--without-pip"]).arg(root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mark = |name: &str| quote(markers.join(name).to_str().unwrap());
    for script in ["activate", "activate.fish"] {
        let path = root.join("bin").join(script);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(&format!("\ntouch {}\n", mark(&format!("{script}-ran"))));
        std::fs::write(&path, text).unwrap();
    }
    write_exe(&root.join("bin/ls"), &format!("#!/bin/sh\ntouch {}\n", mark("ls-ran")));
    // The stdlib writes no xonsh script; a checkout can bring one.
    let ran = markers.join("activate.xsh-ran");
    std::fs::write(
        root.join("bin/activate.xsh"),
        format!(
            "$VIRTUAL_ENV = {root:?}\nopen({ran:?}, 'w').close()\n\
             def _evil_deactivate(args=None):\n    __xonsh__.env.pop('VIRTUAL_ENV', None)\n    aliases.pop('deactivate', None)\n\
             aliases['deactivate'] = _evil_deactivate\n",
            root = root.to_str().unwrap(),
            ran = ran.to_str().unwrap()
        ),
    )
    .unwrap();
}

fn mkfifo(path: &Path) {
    let out = Command::new("mkfifo").arg(path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn markers_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A user other than root and the current one, made on demand (needs root).
fn other_user() -> Option<u32> {
    const NAME: &str = "venvoy-mallory";
    let uid = |out: std::process::Output| String::from_utf8_lossy(&out.stdout).trim().parse::<u32>().ok();
    if let Some(id) = Command::new("id").args(["-u", NAME]).output().ok().and_then(uid) {
        return Some(id);
    }
    let _ = Command::new("useradd").args(["--no-create-home", "--shell", "/usr/sbin/nologin", NAME]).output();
    Command::new("id").args(["-u", NAME]).output().ok().and_then(uid)
}

fn chown_tree(path: &Path, uid: u32) {
    let out = Command::new("chown").arg("-R").arg(uid.to_string()).arg(path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn drive(shell: &str) {
    if skip(shell) {
        return;
    }
    let mut ctx = TestContext::new();
    let home = ctx.root.path().join("envs");
    ctx.env("VENVOY_HOME", &home);
    let python = supported_pythons().remove(0).1;
    let markers = ctx.root.path().join("markers");
    std::fs::create_dir_all(&markers).unwrap();
    let work = ctx.work.clone();

    // A checkout with a `.venv` directory, one whose `.venv` file points at
    // that env, one with an env venvoy made, and a shared parent with an env
    // planted by another user.
    let evil = work.join("evil");
    hostile_env(&python, &evil.join(".venv"), &markers);
    std::fs::create_dir_all(evil.join("src")).unwrap();
    let pointer = work.join("pointer");
    std::fs::create_dir_all(&pointer).unwrap();
    std::fs::write(pointer.join(".venv"), format!("{}\n", evil.join(".venv").display())).unwrap();
    let mine = work.join("mine");
    assert_code(
        &ctx.run(&[
            "create",
            "--without-pip",
            "-p",
            python.to_str().unwrap(),
            "--prompt",
            "mine",
            "mine/.venv",
        ]),
        0,
    );
    let outside = work.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(work.join("zero")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", work.join("zero/.venv")).unwrap();
    std::fs::create_dir_all(work.join("fifo")).unwrap();
    mkfifo(&work.join("fifo/.venv"));
    let shared = work.join("shared");
    let planted = match other_user() {
        Some(uid) => {
            hostile_env(&python, &shared.join(".venv"), &markers);
            std::fs::create_dir_all(shared.join("deep/er")).unwrap();
            chown_tree(&shared.join(".venv"), uid);
            true
        }
        None => {
            missing("root, to make a second user with `useradd` for the planted-env case");
            false
        }
    };

    let venvoy = quote(ctx.venvoy().get_program().to_str().unwrap());
    // nushell and xonsh load the integration from a file, as their users do.
    let init_file = |name: &str| {
        let out = ctx.run(&["init", shell, "--auto"]);
        assert_code(&out, 0);
        let file = ctx.root.path().join(name);
        std::fs::write(&file, &out.stdout).unwrap();
        format!("source {}", quote(file.to_str().unwrap()))
    };
    let (args, init, prompt_setup): (&[&str], String, &str) = match shell {
        "bash" => {
            (&["--norc", "--noprofile", "-i"], format!("eval \"$({venvoy} init bash --auto)\""), "PS1='P> '")
        }
        "zsh" => (&["-f", "-i"], format!("eval \"$({venvoy} init zsh --auto)\""), "PS1='P> '"),
        "fish" => (
            &["--no-config", "-i"],
            format!("{venvoy} init fish --auto | source"),
            "function fish_prompt; printf 'P> '; end",
        ),
        "nu" => (&["--no-config-file"], init_file("venvoy.nu"), "$env.PROMPT_COMMAND = {|| 'P> ' }"),
        "xonsh" => (&["--no-rc", "-i"], init_file("venvoy.xsh"), "$PROMPT = '{env_name}P> '"),
        _ => unreachable!(),
    };
    let mut s = Session::start(&ctx, shell, args).expect("start the shell");
    let cd = |path: &Path| format!("cd {}", quote(path.to_str().unwrap()));
    let path_file = ctx.root.path().join("path");
    let save_path = match s.kind {
        Kind::Nu => format!("^/usr/bin/printenv PATH | save -f {}", quote(path_file.to_str().unwrap())),
        _ => format!("/usr/bin/printenv PATH > {}", quote(path_file.to_str().unwrap())),
    };
    // `ls` as a program found on PATH (nushell's own `ls` is a built-in).
    let run_ls = if s.kind == Kind::Nu { "^ls | ignore" } else { "ls >/dev/null" };
    s.run(prompt_setup);
    s.run(&init);
    s.run(&save_path);
    let original_path = std::fs::read_to_string(&path_file).unwrap();
    let notices = |s: &Session| s.wait_for(&format!("@@done{}@@", s.step)).matches(NOTICE).count();

    // Entering each hostile checkout: nothing runs, nothing changes, one notice.
    let mut expected = 0;
    let mut entries: Vec<(&str, PathBuf)> = vec![("dir", evil.clone()), ("pointer", pointer.clone())];
    if planted {
        entries.push(("planted", shared.join("deep/er")));
    }
    for (what, dir) in &entries {
        s.run(&cd(dir));
        s.run(run_ls);
        expected += 1;
        assert_eq!(notices(&s), expected, "{shell} {what}: one notice");
        assert_eq!(s.state().0, "", "{shell} {what}: VIRTUAL_ENV unchanged");
        s.run(&save_path);
        assert_eq!(
            std::fs::read_to_string(&path_file).unwrap(),
            original_path,
            "{shell} {what}: PATH unchanged"
        );
        assert!(markers_in(&markers).is_empty(), "{shell} {what}: {:?} ran", markers_in(&markers));
        s.run(&cd(&outside));
    }
    // A `.venv` that is a link to `/dev/zero` or a FIFO is absent to the
    // hook: `cd` returns at once, nothing is read, nothing said.
    for (what, dir) in [("/dev/zero", work.join("zero")), ("FIFO", work.join("fifo"))] {
        s.run(&cd(&dir));
        assert_eq!(notices(&s), expected, "{shell} {what}: treated as absent");
        assert_eq!(s.state().0, "", "{shell} {what}");
        s.run(&cd(&outside));
    }

    // Once per entry: a subdirectory of the same checkout says nothing more.
    s.run(&cd(&evil));
    s.run(&cd(&evil.join("src")));
    expected += 1;
    assert_eq!(notices(&s), expected, "{shell}: no second notice inside the same checkout");

    // An env venvoy created activates on `cd` without `allow`.
    s.run(&cd(&mine));
    let (ve, prompt) = s.state();
    assert_eq!(ve, mine.join(".venv").to_str().unwrap(), "{shell}: venvoy's own env");
    if s.kind == Kind::Nu {
        assert_eq!(prompt, "mine", "{shell}: the env's prompt");
    } else {
        assert!(prompt.starts_with("(mine) "), "{shell}: prompt {prompt:?}");
    }
    // Leaving it for an untrusted checkout deactivates it and activates nothing.
    s.run(&cd(&evil));
    expected += 1;
    assert_eq!(notices(&s), expected, "{shell}: entering the untrusted checkout again");
    assert_eq!(s.state().0, "", "{shell}: left the trusted env for an untrusted one");
    assert!(markers_in(&markers).is_empty(), "{shell}: {:?} ran", markers_in(&markers));

    // After `venvoy allow`, it activates.
    s.run("venvoy allow");
    s.run(&cd(&outside));
    s.run(&cd(&evil));
    assert_eq!(s.state().0, evil.join(".venv").to_str().unwrap(), "{shell}: allowed");
    // Each shell's activation script ran; nushell's integration sets the
    // variables itself and sources nothing.
    let script: &[&str] = match s.kind {
        Kind::Fish => &["activate.fish-ran"],
        Kind::Xonsh => &["activate.xsh-ran"],
        Kind::Nu => &[],
        Kind::Bash | Kind::Posix => &["activate-ran"],
        Kind::Csh => unreachable!("no csh cd hook"),
    };
    assert_eq!(markers_in(&markers), script, "{shell}: the allowed env's script ran");
    // The pointer file leads to the same, now trusted, env.
    s.run(&cd(&outside));
    s.run(&cd(&pointer));
    assert_eq!(s.state().0, evil.join(".venv").to_str().unwrap(), "{shell}: pointer to an allowed env");
    s.run(&cd(&outside));
    assert_eq!(s.state().0, "", "{shell}: deactivated on leaving");

    // Replaced at the same path by a different env: blocked again.
    std::fs::remove_dir_all(evil.join(".venv")).unwrap();
    std::fs::remove_dir_all(&markers).unwrap();
    std::fs::create_dir_all(&markers).unwrap();
    hostile_env(&python, &evil.join(".venv"), &markers);
    s.run(&cd(&evil));
    s.run(run_ls);
    expected += 1;
    assert_eq!(notices(&s), expected, "{shell}: replaced env: a notice again");
    assert_eq!(s.state().0, "", "{shell}: replaced env not activated");
    assert!(markers_in(&markers).is_empty(), "{shell}: replaced env: {:?} ran", markers_in(&markers));
}

#[test]
fn hostile_checkouts_bash() {
    drive("bash");
}

#[test]
fn hostile_checkouts_zsh() {
    drive("zsh");
}

#[test]
fn hostile_checkouts_fish() {
    drive("fish");
}

#[test]
fn hostile_checkouts_nushell() {
    drive("nu");
}

#[test]
fn hostile_checkouts_xonsh() {
    drive("xonsh");
}

/// `allow`, `deny` and `allow --list` on the CLI, and what the hook's command
/// says for each state; `.venv` links to devices and FIFOs get a clear error.
#[test]
fn allow_deny_list() {
    let ctx = TestContext::new();
    let python = supported_pythons().remove(0).1;
    assert_code(&ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), "proj/.venv"]), 0);
    let proj = ctx.work.join("proj");
    let auto = |dir: &Path| {
        ctx.venvoy().current_dir(dir).args(["__activate-script", "bash", "--auto"]).output().unwrap()
    };
    let out = auto(&proj);
    assert_code(&out, 0);
    assert!(stdout(&out).ends_with("proj/.venv/bin/activate"), "{}", stdout(&out));

    assert_code(&ctx.run(&["deny", "proj"]), 0);
    let out = auto(&proj);
    assert_code(&out, 1);
    assert_eq!(
        stderr(&out),
        format!("venvoy: `.venv` in `{}` was denied with `venvoy deny`: {NOTICE}\n", proj.display())
    );
    assert!(stdout(&out).is_empty());
    let list = ctx.run(&["allow", "--list", "--json"]);
    assert_code(&list, 0);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    let venv = std::fs::canonicalize(proj.join(".venv")).unwrap();
    assert_eq!(rows, serde_json::json!([{"path": venv, "source": "denied", "status": "ok"}]));

    let out = ctx.venvoy().current_dir(proj.join("..")).args(["allow", "./proj/.venv"]).output().unwrap();
    assert_code(&out, 0);
    assert_code(&auto(&proj), 0);
    assert_eq!(stdout(&ctx.run(&["allow", "--list"])), format!("allowed  ok        {}\n", venv.display()));

    // A different env at the same path is not the allowed one.
    let out = Command::new(&python)
        .args(["-m", "venv", "--without-pip", "--clear"])
        .arg(proj.join(".venv"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(stdout(&ctx.run(&["allow", "--list"])), format!("allowed  replaced  {}\n", venv.display()));
    let out = auto(&proj);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("is not the env that was allowed"), "{}", stderr(&out));

    // Nothing to allow: a failed action (exit 2), with a hint.
    let out = ctx.run(&["allow"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("no env here"), "{}", stderr(&out));

    // A `.venv` that is a link to /dev/zero, or a FIFO: refused at once.
    for (name, make) in [("zero", 0), ("fifo", 1)] {
        let dir = ctx.work.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        if make == 0 {
            std::os::unix::fs::symlink("/dev/zero", dir.join(".venv")).unwrap();
        } else {
            mkfifo(&dir.join(".venv"));
        }
        let start = std::time::Instant::now();
        for args in [&["__activate-script", "bash", "--auto"][..], &["allow"], &["info"]] {
            let out = ctx.venvoy().current_dir(&dir).args(args).output().unwrap();
            assert_code(&out, 2);
            assert!(stderr(&out).contains("not a regular file"), "{args:?}: {}", stderr(&out));
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(3), "{name}: took {:?}", start.elapsed());
    }
}

/// A `.python-version` naming a path (`../` traversal into the checkout, or
/// absolute) is refused by `create`, `python find` and `which python` (through
/// a pyenv shim), and the binary it names never runs.
#[test]
fn python_version_paths_are_refused() {
    let Some(root) = pyenv_root() else { return missing("pyenv") };
    let mut ctx = TestContext::new();
    ctx.prepend_path(&root.join("shims"));
    let marker = ctx.root.path().join("ran");
    let evil = ctx.work.join("evil");
    for name in ["python", "python3"] {
        write_exe(
            &evil.join("bin").join(name),
            &format!("#!/bin/sh\ntouch {}\n", quote(marker.to_str().unwrap())),
        );
    }
    std::fs::create_dir_all(evil.join("lib")).unwrap();
    let ups = root.join("versions").components().count();
    let traversal = format!("{}{}", "../".repeat(ups), evil.strip_prefix("/").unwrap().display());
    for entry in [traversal, evil.display().to_string()] {
        std::fs::write(ctx.work.join(".python-version"), format!("{entry}\n")).unwrap();
        let out = ctx.run(&["python", "find"]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("which is a path, not a version"), "{}", stderr(&out));
        let out = ctx.run(&["create", "--without-pip", "env"]);
        assert_code(&out, 2);
        assert!(stderr(&out).contains("which is a path, not a version"), "{}", stderr(&out));
        assert!(!ctx.work.join("env").exists());
        let out = ctx.run(&["which", "python"]);
        assert!(stdout(&out).contains("pyenv shim: not followed"), "{}", stdout(&out));
        assert!(!marker.exists(), "{entry}: the named binary ran");
    }
}

/// An env whose `pyvenv.cfg` names a `home` inside the checkout: `info`,
/// `doctor`, `doctor --fix`, `packages`, `which` and `seed` never run what it
/// names, and say so; once the env is allowed, its base may run.
#[test]
fn inspection_never_runs_an_unknown_home() {
    let ctx = TestContext::new();
    let (version, python) = supported_pythons().remove(0);
    let repo = ctx.work.join("repo");
    let env = repo.join(".venv");
    let out = Command::new(&python).args(["-m", "venv", "--without-pip"]).arg(&env).output().unwrap();
    assert!(out.status.success());
    let marker = ctx.root.path().join("ran");
    let fake = repo.join("fakehome");
    let minor: Vec<&str> = version.split('.').take(2).collect();
    let script = format!("#!/bin/sh\necho \"$0\" >> {}\n", quote(marker.to_str().unwrap()));
    for name in [format!("python{}", minor.join(".")), "python3".into(), "python".into()] {
        write_exe(&fake.join(&name), &script);
        let link = env.join("bin").join(&name);
        let _ = std::fs::remove_file(&link);
        write_exe(&link, &script);
    }
    let cfg = std::fs::read_to_string(env.join("pyvenv.cfg")).unwrap();
    let cfg: String = cfg
        .lines()
        .map(
            |l| if l.starts_with("home") { format!("home = {}\n", fake.display()) } else { format!("{l}\n") },
        )
        .collect();
    std::fs::write(env.join("pyvenv.cfg"), cfg).unwrap();

    let in_repo = |args: &[&str]| ctx.venvoy().current_dir(&repo).args(args).output().unwrap();
    let out = in_repo(&["info"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("(not run: unknown to venvoy, and the env is not trusted)"),
        "{}",
        stdout(&out)
    );
    let out = in_repo(&["info", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(json["base"]["not_run"].as_str().unwrap().contains("not run"), "{json}");
    let out = in_repo(&["doctor"]);
    assert!(stdout(&out).contains("base interpreter not run"), "{}", stdout(&out));
    let out = in_repo(&["packages"]);
    assert_code(&out, 0);
    let mut with_env = ctx.venvoy();
    let path = std::env::join_paths(std::iter::once(env.join("bin")).chain(std::env::split_paths(&ctx.path)))
        .unwrap();
    let out = with_env.current_dir(&repo).env("PATH", path).args(["which", "python"]).output().unwrap();
    assert_code(&out, 0);
    let out = in_repo(&["seed"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("venvoy does not run it"), "{}", stderr(&out));
    assert!(stderr(&out).contains("venvoy allow"), "{}", stderr(&out));
    let out = in_repo(&["doctor", "--fix"]);
    assert!(stdout(&out).contains("base interpreter not run"), "{}", stdout(&out));
    assert!(!marker.exists(), "ran: {}", std::fs::read_to_string(&marker).unwrap_or_default());

    // Trusted by the user: now its base may run (the marker is no Python, so it fails).
    let out = ctx.run(&["allow", "repo"]);
    assert_code(&out, 0);
    let out = in_repo(&["info"]);
    assert!(!stdout(&out).contains("(not run:"), "{}", stdout(&out));
    assert!(marker.exists(), "the allowed env's base was asked");
}

/// Nothing an env holds hangs or exhausts venvoy: a FIFO `pyvenv.cfg`,
/// `.pth` or `METADATA`, and a 100 MB `pyvenv.cfg`. Every command returns
/// within a second (generous on a loaded machine: 3 s) and says what it met.
#[test]
fn fifos_and_huge_files_do_not_hang() {
    let ctx = TestContext::new();
    let python = supported_pythons().remove(0).1;
    let make = |name: &str| {
        let env = ctx.work.join(name).join(".venv");
        let out = Command::new(&python).args(["-m", "venv", "--without-pip"]).arg(&env).output().unwrap();
        assert!(out.status.success());
        let site =
            std::fs::read_dir(env.join("lib")).unwrap().next().unwrap().unwrap().path().join("site-packages");
        (env, site)
    };
    let (cfg_fifo, _) = make("cfg-fifo");
    std::fs::remove_file(cfg_fifo.join("pyvenv.cfg")).unwrap();
    mkfifo(&cfg_fifo.join("pyvenv.cfg"));
    let (cfg_huge, _) = make("cfg-huge");
    // 100 MB, sparse: the test must not fill the disk, venvoy must not read it.
    let huge = std::fs::OpenOptions::new().append(true).open(cfg_huge.join("pyvenv.cfg")).unwrap();
    huge.set_len(100 * 1024 * 1024).unwrap();
    let (_, site) = make("pth-fifo");
    mkfifo(&site.join("evil.pth"));
    let (_, site) = make("metadata-fifo");
    std::fs::create_dir_all(site.join("evil-1.0.dist-info")).unwrap();
    mkfifo(&site.join("evil-1.0.dist-info/METADATA"));

    for dir in ["cfg-fifo", "cfg-huge", "pth-fifo", "metadata-fifo"] {
        for args in
            [&["info"][..], &["packages"], &["doctor"], &["list"], &["__activate-script", "bash", "--auto"]]
        {
            let start = std::time::Instant::now();
            let mut child = ctx
                .venvoy()
                .current_dir(ctx.work.join(dir))
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let deadline = start + std::time::Duration::from_secs(3);
            while child.try_wait().unwrap().is_none() {
                if std::time::Instant::now() > deadline {
                    let _ = child.kill();
                    panic!("{dir}: `venvoy {}` hung", args.join(" "));
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let out = child.wait_with_output().unwrap();
            let text = format!("{}{}", stdout(&out), stderr(&out));
            if dir.starts_with("cfg") && args[0] != "list" {
                assert!(
                    text.contains("not a regular file") || text.contains("larger than"),
                    "{dir}: `venvoy {}` should say what it met:\n{text}",
                    args.join(" ")
                );
            }
        }
    }
}
