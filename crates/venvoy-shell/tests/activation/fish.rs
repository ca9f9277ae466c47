//! The fish `activate.fish` script.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// Hostile values arrive through the environment only.
const DRIVER: &str = r#"
function fish_prompt
    printf 'old> '
end
set -l before_fn (functions fish_prompt | string collect)
/usr/bin/python3 $T_DUMP before
if set -q T_FIRST
    source $T_FIRST
end
source $T_SCRIPT
python $T_DUMP active
printf 'shown=%s\0' (fish_prompt | string collect)
if functions -q deactivate; printf 'deact=yes\0'; else; printf 'deact=no\0'; end
deactivate
/usr/bin/python3 $T_DUMP after
printf 'after_shown=%s\0' (fish_prompt | string collect)
if test "$before_fn" = (functions fish_prompt | string collect)
    printf 'prompt_fn=same\0'
else
    printf 'prompt_fn=changed\0'
end
if functions -q deactivate; printf 'after_deact=yes\0'; else; printf 'after_deact=no\0'; end
if functions -q _venvoy_old_fish_prompt; printf 'leftover=yes\0'; else; printf 'leftover=no\0'; end
"#;

fn command(env: &TestEnv, fish: &Path) -> Command {
    let mut cmd = shell_command(fish, &env.work);
    cmd.arg("--no-config").arg("-c").arg(DRIVER);
    cmd.env("T_DUMP", write_dump(env)).env("T_SCRIPT", env.bin().join("activate.fish"));
    cmd
}

fn check_env(fish: &Path, env: &TestEnv, prompt: &str) {
    let r = Records::parse(&run(&mut command(env, fish)));
    let ctx = format!("fish env {:?} prompt {prompt:?}", env.env_dir);
    check_child_view(&r, env, &env.env_dir, prompt, &ctx);
    assert_eq!(r.str("shown"), format!("({prompt}) old> "), "{ctx}");
    assert_eq!(r.str("deact"), "yes", "{ctx}");
    assert_eq!(r.str("after_shown"), "old> ", "{ctx}");
    assert_eq!(r.str("prompt_fn"), "same", "{ctx}");
    assert_eq!(r.str("after_deact"), "no", "{ctx}");
    assert_eq!(r.str("leftover"), "no", "{ctx}");
}

#[test]
fn matrix_fish() {
    let Some(fish) = require("fish") else {
        return;
    };
    for name in HOSTILE {
        check_env(&fish, &TestEnv::new(name, "plain"), "plain");
        check_env(&fish, &TestEnv::new("env", name), name);
    }
}

#[test]
fn fish_switching_pythonhome_and_disabled_prompt() {
    let Some(fish) = require("fish") else {
        return;
    };
    let a = TestEnv::new("env a", "A");
    let b = TestEnv::new("env b", "B");
    let mut cmd = command(&b, &fish);
    cmd.env("T_FIRST", a.bin().join("activate.fish")).env("PYTHONHOME", "/usr");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &b, &b.env_dir, "B", "fish switch");
    assert_eq!(r.str("before_PYTHONHOME"), "set:/usr");
    assert_eq!(r.str("shown"), "(B) old> ");
    assert_eq!(r.str("prompt_fn"), "same");

    let mut cmd = command(&a, &fish);
    cmd.env("VIRTUAL_ENV_DISABLE_PROMPT", "1");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &a, &a.env_dir, "A", "fish disabled prompt");
    assert_eq!(r.str("shown"), "old> ");
    assert_eq!(r.str("prompt_fn"), "same");
}

#[test]
fn fish_relocatable_from_another_directory() {
    let Some(fish) = require("fish") else {
        return;
    };
    let env = TestEnv::with("first", "p", true);
    let moved = env.root.path().join("moved 'x' $(y)");
    std::fs::rename(&env.env_dir, &moved).unwrap();
    let mut cmd = command(&env, &fish);
    // A relative path, from the temp root.
    cmd.current_dir(env.root.path()).env("T_SCRIPT", "moved 'x' $(y)/bin/activate.fish");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &env, &moved, "p", "fish relocatable");
}

#[test]
fn fish_refuses_non_utf8_paths() {
    use std::os::unix::ffi::OsStrExt;
    let Some(fish) = require("fish") else {
        return;
    };
    let env = TestEnv::new(std::ffi::OsStr::from_bytes(b"caf\xe9"), "p");
    let out = shell_command(&fish, &env.work)
        .args([
            "--no-config",
            "-c",
            "source $T_SCRIPT; or echo refused; set -q VIRTUAL_ENV; or echo inactive",
        ])
        .env("T_SCRIPT", env.bin().join("activate.fish"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "refused\ninactive\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
}
