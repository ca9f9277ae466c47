//! The csh/tcsh `activate.csh` script.
//!
//! Every value reaches the driver through the environment and is read as
//! `$name:q`, so paths and prompts with line breaks are tested as they are.

use std::path::Path;
use std::process::Command;

use crate::support::*;

const DRIVER: &str = r#"
set prompt = 'old> '
set dump = $T_DUMP:q
/usr/bin/python3 $dump:q before
source $T_SCRIPT:q
python $dump:q active
/usr/bin/printf 'shown=%s\0' $prompt:q
set d = "`alias deactivate`"
/usr/bin/printf 'deact=%s\0' "$d"
deactivate
/usr/bin/python3 $dump:q after
/usr/bin/printf 'after_shown=%s\0' $prompt:q
set d = "`alias deactivate`"
/usr/bin/printf 'after_deact=%s\0' "$d"
"#;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Csh {
    Tcsh,
    Bsd,
}

impl Csh {
    fn program(self) -> Option<std::path::PathBuf> {
        require(match self {
            Csh::Tcsh => "tcsh",
            Csh::Bsd => "bsd-csh",
        })
    }

    fn shown(self, prompt: &str) -> String {
        match self {
            Csh::Tcsh => format!("({}) old> ", prompt.replace('%', "%%")),
            Csh::Bsd => format!("({}) old> ", prompt.replace('!', "\\!")),
        }
    }
}

fn command(shell: &Path, env: &TestEnv, script: &str) -> Command {
    let mut cmd = shell_command(shell, &env.work);
    cmd.arg("-f").arg("-c").arg(script);
    cmd.env("T_DUMP", write_dump(env)).env("T_SCRIPT", env.bin().join("activate.csh"));
    cmd
}

/// Every hostile path and prompt activates, line breaks included.
fn check_env(kind: Csh, shell: &Path, env: &TestEnv, prompt: &str) {
    let ctx = format!("{kind:?} env {:?} prompt {prompt:?}", env.env_dir);
    let r = Records::parse(&run(&mut command(shell, env, DRIVER)));
    check_child_view(&r, env, &env.env_dir, prompt, &ctx);
    assert_eq!(r.str("shown"), kind.shown(prompt), "{ctx}");
    assert_ne!(r.str("deact"), "", "{ctx}");
    assert_eq!(r.str("after_shown"), "old> ", "{ctx}");
    assert_eq!(r.str("after_deact"), "", "{ctx}");
}

#[test]
fn matrix_tcsh() {
    let Some(tcsh) = Csh::Tcsh.program() else {
        return;
    };
    for name in HOSTILE {
        check_env(Csh::Tcsh, &tcsh, &TestEnv::new(name, "plain"), "plain");
        check_env(Csh::Tcsh, &tcsh, &TestEnv::new("env", name), name);
    }
}

#[test]
fn matrix_bsd_csh() {
    let Some(csh) = Csh::Bsd.program() else {
        return;
    };
    for name in HOSTILE {
        check_env(Csh::Bsd, &csh, &TestEnv::new(name, "plain"), "plain");
        check_env(Csh::Bsd, &csh, &TestEnv::new("env", name), name);
    }
}

#[test]
fn tcsh_switching_pythonhome_and_disabled_prompt() {
    let Some(tcsh) = Csh::Tcsh.program() else {
        return;
    };
    let a = TestEnv::new("env a", "A");
    let b = TestEnv::new("env b", "B");
    let script = DRIVER.replace("source $T_SCRIPT:q", "source $T_FIRST:q\nsource $T_SCRIPT:q");
    let mut cmd = command(&tcsh, &b, &script);
    cmd.env("T_FIRST", a.bin().join("activate.csh")).env("PYTHONHOME", "/usr");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &b, &b.env_dir, "B", "tcsh switch");
    assert_eq!(r.str("before_PYTHONHOME"), "set:/usr");
    assert_eq!(r.str("shown"), "(B) old> ");

    let mut cmd = command(&tcsh, &a, DRIVER);
    cmd.env("VIRTUAL_ENV_DISABLE_PROMPT", "1");
    let r = Records::parse(&run(&mut cmd));
    check_child_view(&r, &a, &a.env_dir, "A", "tcsh disabled prompt");
    assert_eq!(r.str("shown"), "old> ");
}

#[test]
fn tcsh_refuses_relocatable_envs() {
    let Some(tcsh) = Csh::Tcsh.program() else {
        return;
    };
    let env = TestEnv::with("env", "p", true);
    let mut cmd = command(&tcsh, &env, "source $T_SCRIPT:q; /usr/bin/printf '%s' $?VIRTUAL_ENV");
    let out = cmd.output().unwrap();
    check(&out, &cmd);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "0");
    assert!(String::from_utf8_lossy(&out.stderr).contains("relocatable"));
}
