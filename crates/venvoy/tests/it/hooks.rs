//! virtualenvwrapper's hooks through the shell integration (`venvoy init`):
//! `workon NAME` with `WORKON_HOME` set runs the global and the env's
//! `postactivate`, `deactivate` runs `predeactivate` before and
//! `postdeactivate` after, in virtualenvwrapper's order; an untrusted env's
//! hook never runs, and a notice says so. In real bash, zsh and fish.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

struct Setup {
    ctx: TestContext,
    workon_home: PathBuf,
    /// An env made by `python -m venv` outside the env home: not trusted.
    untrusted: PathBuf,
    log: PathBuf,
}

/// A hook that appends `line` (and the value of `$VIRTUAL_ENV`) to the log.
fn hook(path: &Path, line: &str, log: &Path, fish: bool) {
    let text = if fish {
        format!("printf '%s %s\\n' {line} \"$VIRTUAL_ENV\" >> '{}'\n", log.display())
    } else {
        format!("printf '%s %s\\n' {line} \"${{VIRTUAL_ENV-}}\" >> '{}'\n", log.display())
    };
    std::fs::write(path, text).unwrap();
}

fn setup(fish: bool) -> Setup {
    let mut ctx = TestContext::new();
    let workon_home = ctx.root.path().join("virtualenvs");
    std::fs::create_dir(&workon_home).unwrap();
    ctx.env("WORKON_HOME", &workon_home);
    let log = ctx.root.path().join("log");
    let out = ctx.run(&["create", "--without-pip", "-p", "/usr/bin/python3", "-n", "proj"]);
    assert_code(&out, 0);
    let env = workon_home.join("proj");
    let ext = if fish { ".fish" } else { "" };
    for event in ["postactivate", "predeactivate", "postdeactivate"] {
        hook(&workon_home.join(format!("{event}{ext}")), &format!("global-{event}"), &log, fish);
        hook(&env.join(format!("bin/{event}{ext}")), &format!("env-{event}"), &log, fish);
    }
    let untrusted = ctx.root.path().join("cloned/.venv");
    let out = Command::new("/usr/bin/python3")
        .args(["-m", "venv", "--without-pip"])
        .arg(&untrusted)
        .output()
        .unwrap();
    assert_code(&out, 0);
    // venvoy's scripts, as `venvoy env set` leaves them in another tool's env.
    assert_code(&ctx.run(&["env", "set", "-e", untrusted.to_str().unwrap(), "K=v"]), 0);
    let marker = ctx.root.path().join("MARKER");
    std::fs::write(
        untrusted.join(format!("bin/postactivate{ext}")),
        format!("touch '{}'\n", marker.display()),
    )
    .unwrap();
    Setup { ctx, workon_home, untrusted, log }
}

impl Setup {
    fn shell(&self, program: &Path, init: &str, body: &str) -> std::process::Output {
        let venvoy = assert_cmd::cargo::cargo_bin("venvoy");
        let script = match init {
            "fish" => format!("{} init fish | source\n{body}", venvoy.display()),
            // The body loads the integration itself.
            "none" => body.to_owned(),
            shell => format!("eval \"$('{}' init {shell})\"\n{body}", venvoy.display()),
        };
        let mut shell = Command::new(program);
        shell.current_dir(&self.ctx.work).env_clear();
        self.ctx.sandbox_env(&mut shell);
        match init {
            "bash" | "none" => shell.arg("--norc").arg("--noprofile"),
            "zsh" => shell.arg("-f"),
            _ => shell.arg("--no-config"),
        };
        shell.arg("-c").arg(script).output().unwrap()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn check(&self, program: &Path, init: &str) {
        let env = self.workon_home.join("proj");
        let e = env.display();
        let out = self.shell(program, init, "workon proj\necho \"active=$VIRTUAL_ENV\"\ndeactivate\n");
        assert_code(&out, 0);
        assert!(stdout(&out).contains(&format!("active={e}")), "{init}: {}", stdout(&out));
        // virtualenvwrapper's order: global then the env's on activation; the
        // env's then global on deactivation; postdeactivate after the env is gone.
        assert_eq!(
            self.log(),
            format!(
                "global-postactivate {e}\nenv-postactivate {e}\nenv-predeactivate {e}\nglobal-predeactivate {e}\nenv-postdeactivate \nglobal-postdeactivate \n"
            ),
            "{init}"
        );
        std::fs::remove_file(&self.log).unwrap();

        // An untrusted env activates when named (the user asked), but its hook
        // does not run; the global ones do, and a notice names the skipped one.
        let u = self.untrusted.display();
        let out =
            self.shell(program, init, &format!("venvoy activate '{u}'\necho \"active=$VIRTUAL_ENV K=$K\"\n"));
        assert_code(&out, 0);
        assert!(stdout(&out).contains(&format!("active={u} K=v")), "{init}: {}", stdout(&out));
        assert!(!self.ctx.root.path().join("MARKER").exists(), "{init}: the untrusted env's hook ran");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("venvoy: not running the hook `{u}/bin/postactivate"))
                && err.contains("venvoy allow"),
            "{init}: {err}"
        );
        assert_eq!(self.log(), format!("global-postactivate {u}\n"), "{init}");
        std::fs::remove_file(&self.log).unwrap();

        // An env sourced by hand over a hooked one: the hooked env is left
        // without its hooks (as virtualenvwrapper), and deactivating the new
        // one never runs the old env's hooks.
        let script = if init == "fish" { "activate.fish" } else { "activate" };
        let out = self.shell(
            program,
            init,
            &format!("workon proj\nsource '{u}/bin/{script}'\ndeactivate\necho \"after=$VIRTUAL_ENV\"\n"),
        );
        assert_code(&out, 0);
        assert_eq!(
            self.log(),
            format!("global-postactivate {e}\nenv-postactivate {e}\n"),
            "{init}: {}",
            stderr(&out)
        );
        std::fs::remove_file(&self.log).unwrap();

        // Switching from a hooked env deactivates it first (its hooks run).
        let out = self.shell(program, init, &format!("workon proj\nvenvoy activate '{u}'\n"));
        assert_code(&out, 0);
        assert_eq!(
            self.log(),
            format!(
                "global-postactivate {e}\nenv-postactivate {e}\nenv-predeactivate {e}\nglobal-predeactivate {e}\nenv-postdeactivate \nglobal-postdeactivate \nglobal-postactivate {u}\n"
            ),
            "{init}"
        );
    }
}

/// The shell `name` as `shells.rs` finds it, or [`missing`] when it is not there.
fn shell_program(name: &str) -> Option<PathBuf> {
    require(&format!("the shell `{name}`"), crate::shells::shell_program(name))
}

#[test]
fn hooks_in_bash() {
    let Some(bash) = shell_program("bash") else { return };
    setup(false).check(&bash, "bash");
}

#[test]
fn hooks_in_zsh() {
    let Some(zsh) = shell_program("zsh") else { return };
    setup(false).check(&zsh, "zsh");
}

#[test]
fn hooks_in_fish() {
    let Some(fish) = shell_program("fish") else { return };
    setup(true).check(&fish, "fish");
}

#[test]
fn no_hook_file_means_no_venvoy_process() {
    // Without hook files the integration does not run venvoy for hooks: the
    // shell checks for the files itself. Shown by a venvoy `__hooks` that
    // would fail: with no files, activation still succeeds silently.
    let Some(bash) = shell_program("bash") else { return };
    let s = setup(false);
    for entry in std::fs::read_dir(&s.workon_home).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::remove_file(p).unwrap();
        }
    }
    for event in ["postactivate", "predeactivate", "postdeactivate"] {
        std::fs::remove_file(s.workon_home.join("proj/bin").join(event)).unwrap();
    }
    let out = s.shell(&bash, "bash", "__venvoy_bin=/nonexistent/venvoy-for-hooks\n__venvoy_run_hooks postactivate \"$WORKON_HOME/proj\"\necho ok\n");
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "ok\n");
    assert_eq!(stderr(&out), "", "no process was tried");
}

/// Activation on `cd` (`init --auto`) runs the hooks of the trusted env it
/// activates, and leaving the project deactivates it with its hooks.
#[test]
fn cd_activation_runs_hooks() {
    let Some(bash) = shell_program("bash") else { return };
    let s = setup(false);
    let project = s.ctx.root.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let mut create = s.ctx.venvoy();
    let out = create
        .current_dir(&project)
        .args(["create", "--without-pip", "-p", "/usr/bin/python3"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let env = project.join(".venv");
    for event in ["postactivate", "predeactivate", "postdeactivate"] {
        hook(&env.join(format!("bin/{event}")), &format!("env-{event}"), &s.log, false);
    }
    let venvoy = assert_cmd::cargo::cargo_bin("venvoy");
    let body = format!(
        "eval \"$('{}' init bash --auto)\"\ncd '{}'\n__venvoy_auto\necho \"active=$VIRTUAL_ENV\"\ncd /\n__venvoy_auto\necho \"after=${{VIRTUAL_ENV-}}\"\n",
        venvoy.display(),
        project.display()
    );
    let out = s.shell(&bash, "none", &body);
    assert_code(&out, 0);
    let v = env.display();
    assert_eq!(stdout(&out), format!("active={v}\nafter=\n"), "{}", stderr(&out));
    assert_eq!(
        s.log(),
        format!(
            "global-postactivate {v}\nenv-postactivate {v}\nenv-predeactivate {v}\nglobal-predeactivate {v}\nenv-postdeactivate \nglobal-postdeactivate \n"
        )
    );
}
