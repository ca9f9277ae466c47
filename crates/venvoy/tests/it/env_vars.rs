//! `venvoy env set|unset|list`: variables stored in the env, carried by its
//! activation scripts, `run`, `shell` and `info`; and `run --env-file`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// A value that must arrive byte for byte and never run.
const HOSTILE: &str = "$(touch marker) `touch marker2` it's \"q\" %PATH% !x!\nsecond line";

fn python() -> PathBuf {
    PathBuf::from("/usr/bin/python3")
}

/// An env made by venvoy without pip (fast), at `work/NAME`.
fn venvoy_env(ctx: &TestContext, name: &str) -> PathBuf {
    let dir = ctx.work.join(name);
    assert_code(
        &ctx.run(&["create", "--without-pip", "-p", python().to_str().unwrap(), dir.to_str().unwrap()]),
        0,
    );
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn set_list_run_info_and_unset() {
    let ctx = TestContext::new();
    let env = venvoy_env(&ctx, "env");
    let e = s(&env);
    let out = ctx.run(&[
        "env",
        "set",
        "-e",
        e,
        "DATABASE_URL=postgres://u@h/db?a=b",
        &format!("HOSTILE={HOSTILE}"),
    ]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("`DATABASE_URL`, `HOSTILE`"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("another tool"), "{}", stderr(&out));

    // Stored in the env's own file, listed as shell words and as JSON.
    assert!(env.join("venvoy-vars.json").is_file());
    let out = ctx.run(&["env", "list", "-e", e, "--json"]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["variables"]["HOSTILE"], HOSTILE);
    assert_eq!(json["variables"]["DATABASE_URL"], "postgres://u@h/db?a=b");
    let out = ctx.run(&["env", "list", "-e", e]);
    assert_eq!(
        stdout(&out),
        "DATABASE_URL='postgres://u@h/db?a=b'\nHOSTILE='$(touch marker) `touch marker2` it'\\''s \"q\" %PATH% !x!\nsecond line'\n"
    );

    // `run` sets them, exactly.
    let out = ctx.run(&["run", "-e", e, "printenv", "HOSTILE"]);
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("{HOSTILE}\n"));

    // `info` names them (never their values).
    let out = ctx.run(&["info", e]);
    assert!(stdout(&out).contains("variables:             DATABASE_URL, HOSTILE"), "{}", stdout(&out));
    assert!(!stdout(&out).contains("postgres"), "{}", stdout(&out));
    let out = ctx.run(&["info", e, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["variables"], serde_json::json!(["DATABASE_URL", "HOSTILE"]));

    // The activation script carries them; bash sets and restores them.
    let script = format!(
        "export DATABASE_URL=before\n. {}/bin/activate\nprintf '%s|%s\\n' \"$DATABASE_URL\" \"$HOSTILE\"\ndeactivate\nprintf '%s|%s\\n' \"$DATABASE_URL\" \"${{HOSTILE-unset}}\"\n",
        e
    );
    let out = Command::new("bash").arg("-c").arg(script).current_dir(&ctx.work).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("postgres://u@h/db?a=b|{HOSTILE}\nbefore|unset\n"));

    // Unset removes one; a name never set is a warning, or an error alone.
    let out = ctx.run(&["env", "unset", "-e", e, "HOSTILE", "NEVER_SET"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("warning: the env did not set `NEVER_SET`"), "{}", stderr(&out));
    let out = ctx.run(&["env", "unset", "-e", e, "NEVER_SET"]);
    assert_code(&out, 2);
    let out = ctx.run(&["run", "-e", e, "printenv", "HOSTILE"]);
    assert_code(&out, 1);
    let out = ctx.run(&["env", "unset", "-e", e, "DATABASE_URL"]);
    assert_code(&out, 0);
    assert!(!env.join("venvoy-vars.json").exists(), "no variables, no file");
    assert!(!ctx.work.join("marker").exists() && !ctx.work.join("marker2").exists(), "a value ran");
}

#[test]
fn refuses_owned_names_bad_names_and_values() {
    let ctx = TestContext::new();
    let env = venvoy_env(&ctx, "env");
    let e = s(&env);
    for (arg, message) in [
        ("PATH=/x", "`PATH` cannot be set by `venvoy env`: activation puts"),
        ("VIRTUAL_ENV=/x", "`VIRTUAL_ENV` cannot be set"),
        ("PYTHONHOME=/x", "`PYTHONHOME` cannot be set"),
        ("PS1=x", "`PS1` cannot be set"),
        ("_VENVOY_OLD_PATH=x", "venvoy's activation keeps its state there"),
        ("1ABC=x", "`1ABC` is not a valid variable name"),
        ("A-B=x", "`A-B` is not a valid variable name"),
        ("NOEQUALS", "`NOEQUALS` is not NAME=VALUE"),
    ] {
        let out = ctx.run(&["env", "set", "-e", e, arg]);
        assert_code(&out, 2);
        let err = stderr(&out);
        assert!(err.contains(message), "{arg}: {err}");
        assert!(err.contains("hint: "), "{arg}: {err}");
    }
    assert!(!env.join("venvoy-vars.json").exists(), "nothing was stored");
}

#[test]
fn env_made_by_another_tool_gets_venvoys_scripts() {
    let ctx = TestContext::new();
    let env = ctx.work.join("stdlib-env");
    let out = Command::new(python()).args(["-m", "venv", "--without-pip"]).arg(&env).output().unwrap();
    assert_code(&out, 0);
    let before = std::fs::read_to_string(env.join("bin/activate")).unwrap();
    assert!(!before.contains("Written by venvoy"));
    let out = ctx.run(&["env", "set", "-e", s(&env), "GREETING=hello world"]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("Wrote venvoy's activation scripts into"), "{}", stderr(&out));
    assert!(stderr(&out).contains("made by another tool"), "{}", stderr(&out));
    let script = format!(". {}/bin/activate\nprintf '%s|%s' \"$GREETING\" \"$VIRTUAL_ENV\"\n", s(&env));
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("hello world|{}", s(&env)));
    // A second `set` finds venvoy's scripts and says nothing more.
    let out = ctx.run(&["env", "set", "-e", s(&env), "OTHER=1"]);
    assert!(!stderr(&out).contains("another tool"), "{}", stderr(&out));
    // `create --upgrade` in place keeps the variables in the scripts.
    let out = ctx.run(&["create", "--upgrade", "--without-pip", "-p", python().to_str().unwrap(), s(&env)]);
    assert_code(&out, 0);
    let text = std::fs::read_to_string(env.join("bin/activate")).unwrap();
    assert!(text.contains("GREETING='hello world'"), "{text}");
}

#[test]
fn run_env_file() {
    let ctx = TestContext::new();
    let env = venvoy_env(&ctx, "env");
    let e = s(&env);
    assert_code(&ctx.run(&["env", "set", "-e", e, "FROM_ENV=env", "BOTH=env"]), 0);
    std::fs::write(
        ctx.work.join(".env"),
        "# settings for dev\nexport DEBUG=1\nNAME='single $DEBUG # kept'\nGREETING=\"hello $DEBUG \\\"you\\\"\"\nPLAIN=value # a comment\nBOTH=file\nMULTI=\"a\nb\"\n",
    )
    .unwrap();
    std::fs::write(ctx.work.join("later.env"), "PLAIN=later\n").unwrap();
    let printenv = |names: &[&str]| {
        let mut args = vec!["run", "-e", e, "--env-file", ".env", "--env-file", "later.env", "printenv"];
        args.extend_from_slice(names);
        let out = ctx.run(&args);
        assert_code(&out, 0);
        stdout(&out)
    };
    assert_eq!(
        printenv(&["DEBUG", "NAME", "GREETING", "PLAIN", "BOTH", "FROM_ENV", "MULTI"]),
        "1\nsingle $DEBUG # kept\nhello 1 \"you\"\nlater\nfile\nenv\na\nb\n"
    );

    // An invalid line: the file and the line number, and nothing runs.
    std::fs::write(ctx.work.join("bad.env"), "A=1\n# fine\nB=2\nnot a valid line\n").unwrap();
    let out = ctx.run(&["run", "-e", e, "--env-file", "bad.env", "touch", "ran"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("/bad.env` line 4: cannot parse `not a valid line`"), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint: "), "{}", stderr(&out));
    assert!(!ctx.work.join("ran").exists());
    let out = ctx.run(&["run", "-e", e, "--env-file", "missing.env", "true"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("cannot read the env file `"), "{}", stderr(&out));
}

/// `venvoy shell` sets the env's variables in the subshell it starts.
#[test]
fn shell_sets_the_variables() {
    let ctx = TestContext::new();
    let env = venvoy_env(&ctx, "env");
    assert_code(&ctx.run(&["env", "set", "-e", s(&env), &format!("HOSTILE={HOSTILE}")]), 0);
    for shell in ["bash", "dash", "tcsh"] {
        let Some(program) = require(
            &format!("the shell `{shell}`"),
            Some(PathBuf::from("/usr/bin").join(shell)).filter(|p| p.is_file()),
        ) else {
            continue;
        };
        let mut cmd = ctx.venvoy();
        cmd.env("SHELL", &program).args(["shell", s(&env)]).stdin(std::process::Stdio::piped());
        let mut child =
            cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
        use std::io::Write as _;
        child.stdin.take().unwrap().write_all(b"printenv HOSTILE\nexit\n").unwrap();
        let out = child.wait_with_output().unwrap();
        assert_code(&out, 0);
        assert!(stdout(&out).contains(HOSTILE), "{shell}: {}", stdout(&out));
        assert!(!ctx.work.join("marker").exists(), "{shell}: a value ran");
        assert!(!ctx.work.join("marker2").exists(), "{shell}: a value ran");
    }
}

/// A clone carries the variables: in its own file and in its scripts.
#[test]
fn clone_keeps_the_variables() {
    let ctx = TestContext::new();
    let env = venvoy_env(&ctx, "env");
    assert_code(&ctx.run(&["env", "set", "-e", s(&env), &format!("HOSTILE={HOSTILE}")]), 0);
    let copy = ctx.work.join("copy");
    assert_code(&ctx.run(&["clone", s(&env), s(&copy)]), 0);
    let out = ctx.run(&["env", "list", "-e", s(&copy), "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["variables"]["HOSTILE"], HOSTILE);
    let script = format!(". {}/bin/activate\nprintf '%s|%s' \"$HOSTILE\" \"$VIRTUAL_ENV\"\n", s(&copy));
    let out = Command::new("bash").arg("-c").arg(script).current_dir(&ctx.work).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), format!("{HOSTILE}|{}", s(&copy)));
    assert!(!ctx.work.join("marker").exists());
    assert!(!ctx.work.join("marker2").exists());
}
