//! The xonsh `activate.xsh` script.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Hostile values arrive through the environment only.
const DRIVER: &str = r#"
from xonsh.prompt.base import PromptFormatter
def shown():
    # xonsh caches field values for one prompt; this is a new prompt.
    __xonsh__.env["PROMPT_FIELDS"].reset()
    return PromptFormatter()("{env_name}")
def rec(key, value):
    print(key + "=" + value, end="\0", flush=True)
if "T_PYTHONHOME" in ${...}:
    $PYTHONHOME = $T_PYTHONHOME
/usr/bin/python3 $T_DUMP before
if "T_FIRST" in ${...}:
    source @($T_FIRST)
source @($T_SCRIPT)
python $T_DUMP active
rec("shown", shown())
rec("deact", "yes" if "deactivate" in aliases else "no")
deactivate
/usr/bin/python3 $T_DUMP after
rec("after_shown", shown())
rec("after_deact", "yes" if "deactivate" in aliases else "no")
"#;

fn driver_file(env: &TestEnv) -> PathBuf {
    let path = env.root.path().join("driver.xsh");
    std::fs::write(&path, DRIVER).unwrap();
    path
}

fn command(xonsh: &Path, env: &TestEnv) -> Command {
    let mut cmd = shell_command(xonsh, &env.work);
    cmd.arg("--no-rc").arg(driver_file(env));
    cmd.env("T_DUMP", write_dump(env)).env("T_SCRIPT", env.bin().join("activate.xsh"));
    cmd
}

/// Every hostile path and prompt activates, `$NAME` and `${HOME}` included
/// (xonsh would expand them in a `$PATH` entry it read as text).
fn check_env(xonsh: &Path, env: &TestEnv, prompt: &str) {
    let ctx = format!("xonsh env {:?} prompt {prompt:?}", env.env_dir);
    let r = Records::parse(&run(&mut command(xonsh, env)));
    check_child_view(&r, env, &env.env_dir, prompt, &ctx);
    assert_eq!(r.str("shown"), format!("({prompt}) "), "{ctx}");
    assert_eq!(r.str("deact"), "yes", "{ctx}");
    assert_eq!(r.str("after_shown"), "", "{ctx}");
    assert_eq!(r.str("after_deact"), "no", "{ctx}");
}

#[test]
fn matrix_xonsh() {
    let Some(xonsh) = require("xonsh") else {
        return;
    };
    for name in HOSTILE {
        check_env(&xonsh, &TestEnv::new(name, "plain"), "plain");
        check_env(&xonsh, &TestEnv::new("env", name), name);
    }
}

#[test]
fn xonsh_switching_pythonhome_disabled_prompt_relocatable() {
    let Some(xonsh) = require("xonsh") else {
        return;
    };
    let a = TestEnv::new("env a", "A");
    let b = TestEnv::new("env b", "B");
    let mut cmd = command(&xonsh, &b);
    cmd.env("T_FIRST", a.bin().join("activate.xsh")).env("T_PYTHONHOME", "/usr");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &b, &b.env_dir, "B", "xonsh switch");
    assert_eq!(r.str("before_PYTHONHOME"), "set:/usr");
    assert_eq!(r.str("shown"), "(B) ");

    let mut cmd = command(&xonsh, &a);
    cmd.env("VIRTUAL_ENV_DISABLE_PROMPT", "1");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &a, &a.env_dir, "A", "xonsh disabled prompt");
    assert_eq!(r.str("shown"), "");

    let env = TestEnv::with("first", "p", true);
    let moved = env.root.path().join("moved 'x'");
    std::fs::rename(&env.env_dir, &moved).unwrap();
    let mut cmd = command(&xonsh, &env);
    cmd.env("T_SCRIPT", moved.join("bin/activate.xsh"));
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &env, &moved, "p", "xonsh relocatable");
}
