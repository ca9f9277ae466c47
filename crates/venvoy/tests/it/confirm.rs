//! `remove` and `gc` ask before deleting through one prompt: on a terminal
//! (a pty from `script`), `y` deletes and anything else keeps; without a
//! terminal, `remove` refuses and `gc` removes nothing.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::{TestContext, assert_code, debian_python, require, stderr, stdout, with_env};
use crate::shells::which;

/// `venvoy ARGS` on a pseudo-terminal (util-linux `script`), typing `answer`.
fn on_a_terminal(ctx: &TestContext, args: &[&str], answer: &str) -> Option<Output> {
    require("util-linux `script`", which("script"))?;
    let venvoy = ctx.venvoy();
    let mut line = format!("'{}'", venvoy.get_program().to_str().unwrap());
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"]).env_clear().current_dir(venvoy.get_current_dir().unwrap());
    ctx.sandbox_env(&mut cmd);
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // Typed once the prompt is up; a pty keeps it until it is read.
    child.stdin.take().unwrap().write_all(format!("{answer}\n").as_bytes()).unwrap();
    Some(child.wait_with_output().unwrap())
}

#[test]
fn remove_on_a_terminal_deletes_on_yes() {
    let Some(ctx) = with_env() else { return };
    let Some(out) = on_a_terminal(&ctx, &["remove", "./env"], "y") else { return };
    assert_code(&out, 0);
    assert!(stdout(&out).contains("[y/N]"), "the question: {}", stdout(&out));
    assert!(!ctx.work.join("env").exists());
}

#[test]
fn remove_on_a_terminal_keeps_on_no() {
    let Some(ctx) = with_env() else { return };
    let Some(out) = on_a_terminal(&ctx, &["remove", "./env"], "n") else { return };
    assert_code(&out, 1);
    assert!(stdout(&out).contains("Nothing deleted"), "{}", stdout(&out));
    assert!(ctx.work.join("env/pyvenv.cfg").is_file());
}

#[test]
fn remove_without_a_terminal_refuses() {
    let Some(ctx) = with_env() else { return };
    let out = ctx.venvoy().args(["remove", "./env"]).stdin(Stdio::null()).output().unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("needs confirmation"), "{}", stderr(&out));
    assert!(ctx.work.join("env/pyvenv.cfg").is_file());
}

/// A pipenv env whose project is gone: an orphan for `gc`.
fn with_orphan() -> Option<(TestContext, std::path::PathBuf)> {
    let python = debian_python()?;
    let ctx = TestContext::new();
    let env = ctx.home.join(".local/share/virtualenvs/old-Zyx98765");
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python.to_str().unwrap(), env.to_str().unwrap()]),
        0,
    );
    std::fs::write(env.join(".project"), ctx.home.join("src/gone").to_str().unwrap()).unwrap();
    Some((ctx, env))
}

#[test]
fn gc_on_a_terminal_removes_on_yes() {
    let Some((ctx, env)) = with_orphan() else { return };
    let home = ctx.home.to_str().unwrap().to_string();
    let Some(out) = on_a_terminal(&ctx, &["gc", &home], "y") else { return };
    assert_code(&out, 0);
    assert!(stdout(&out).contains("Remove 1 env"), "{}", stdout(&out));
    assert!(!env.exists());
}

#[test]
fn gc_without_a_terminal_removes_nothing() {
    let Some((ctx, env)) = with_orphan() else { return };
    let out = ctx.venvoy().args(["gc", ctx.home.to_str().unwrap()]).stdin(Stdio::null()).output().unwrap();
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Nothing removed"), "{}", stderr(&out));
    assert!(env.join("pyvenv.cfg").is_file());
}
