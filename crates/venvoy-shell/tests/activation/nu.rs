//! The nushell `activate.nu` overlay.
//!
//! `overlay use` takes a path literal when the script is parsed, so the
//! driver names the script through a symlink with a plain name.

use std::path::Path;
use std::process::Command;

use crate::support::*;

fn driver(script: &Path, first: Option<&Path>) -> String {
    let first = first.map(|f| format!("overlay use '{}'\n", f.display())).unwrap_or_default();
    format!(
        r#"
$env.PROMPT_COMMAND = {{|| 'old> ' }}
^/usr/bin/python3 $env.T_DUMP before
{first}overlay use '{script}'
^python $env.T_DUMP active
print -n ('shown=' + (do $env.PROMPT_COMMAND) + (char nul))
deactivate
^/usr/bin/python3 $env.T_DUMP after
print -n ('after_shown=' + (do $env.PROMPT_COMMAND) + (char nul))
print -n ('overlay=' + (overlay list | where {{|o| $o.name == 'activate' and $o.active }} | length | into string) + (char nul))
"#,
        script = script.display()
    )
}

fn command(nu: &Path, env: &TestEnv, script: &str) -> Command {
    let mut cmd = shell_command(nu, &env.work);
    cmd.arg("-n").arg("--no-std-lib").arg("-c").arg(script);
    cmd.env("T_DUMP", write_dump(env));
    cmd
}

fn check_env(nu: &Path, env: &TestEnv, prompt: &str) {
    let ctx = format!("nu env {:?} prompt {prompt:?}", env.env_dir);
    let script = driver(&env.plain_link().join("bin/activate.nu"), None);
    let r = Records::parse(&run(&mut command(nu, env, &script)));
    check_child_view(&r, env, &env.env_dir, prompt, &ctx);
    assert_eq!(r.str("shown"), format!("({prompt}) old> "), "{ctx}");
    assert_eq!(r.str("after_shown"), "old> ", "{ctx}");
    assert_eq!(r.str("overlay"), "0", "{ctx}: overlay still active");
}

#[test]
fn matrix_nu() {
    let Some(nu) = require("nu") else {
        return;
    };
    for name in HOSTILE {
        check_env(&nu, &TestEnv::new(name, "plain"), "plain");
        check_env(&nu, &TestEnv::new("env", name), name);
    }
}

#[test]
fn nu_switching_pythonhome_and_disabled_prompt() {
    let Some(nu) = require("nu") else {
        return;
    };
    let a = TestEnv::new("env a", "A");
    let b = TestEnv::new("env b", "B");
    let script =
        driver(&b.plain_link().join("bin/activate.nu"), Some(&a.plain_link().join("bin/activate.nu")));
    let mut cmd = command(&nu, &b, &script);
    cmd.env("PYTHONHOME", "/usr");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &b, &b.env_dir, "B", "nu switch");
    assert_eq!(r.str("before_PYTHONHOME"), "set:/usr");
    assert_eq!(r.str("shown"), "(B) old> ");
    assert_eq!(r.str("overlay"), "0");

    let script = driver(&a.plain_link().join("bin/activate.nu"), None);
    let mut cmd = command(&nu, &a, &script);
    cmd.env("VIRTUAL_ENV_DISABLE_PROMPT", "1");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &a, &a.env_dir, "A", "nu disabled prompt");
    assert_eq!(r.str("shown"), "old> ");
}

#[test]
fn nu_relocatable() {
    let Some(nu) = require("nu") else {
        return;
    };
    let env = TestEnv::with("first", "p", true);
    let moved = env.root.path().join("moved");
    std::fs::rename(&env.env_dir, &moved).unwrap();
    let script = driver(&moved.join("bin/activate.nu"), None);
    let r = Records::parse(&run(&mut command(&nu, &env, &script)));
    check_child_view(&r, &env, &moved, "p", "nu relocatable");
}
