//! The POSIX `activate` script in bash, zsh, dash, ksh93, mksh and busybox sh.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// Prints the shell state before activation, while active, and after
/// `deactivate`, as `KEY=VALUE\0` records. Hostile values only ever arrive
/// through the environment (`T_SCRIPT`) and are never evaluated here.
const DRIVER: &str = r#"
set -eu
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi
rec() { printf '%s=%s\0' "$1" "$2"; }
state() {
    rec "$1PATH" "$PATH"
    if [ -n "${PYTHONHOME+x}" ]; then rec "$1PYTHONHOME" "set:$PYTHONHOME"; else rec "$1PYTHONHOME" unset; fi
    if [ -n "${PS1+x}" ]; then rec "$1PS1" "set:$PS1"; else rec "$1PS1" unset; fi
    if [ -n "${VIRTUAL_ENV+x}" ]; then rec "$1VE" "set:$VIRTUAL_ENV"; else rec "$1VE" unset; fi
    if [ -n "${VIRTUAL_ENV_PROMPT+x}" ]; then rec "$1VEP" "set:$VIRTUAL_ENV_PROMPT"; else rec "$1VEP" unset; fi
    if command -v deactivate >/dev/null 2>&1; then rec "$1deactivate" yes; else rec "$1deactivate" no; fi
}
case ${T_PS1-set} in
    set) PS1='old> ' ;;
    empty) PS1= ;;
    unset) unset PS1 ;;
esac
if [ -n "${T_PYTHONHOME+x}" ]; then PYTHONHOME=$T_PYTHONHOME; export PYTHONHOME; fi
if [ -n "${T_CD+x}" ]; then cd "$T_CD"; fi
if [ -n "${T_SETUP+x}" ]; then eval "$T_SETUP"; fi
state before_
if [ -n "${T_FIRST+x}" ]; then . "$T_FIRST"; fi
. "$T_SCRIPT"
state active_
# What a program started from the active shell sees.
python -c 'import os, sys
e = os.environ
sys.stdout.write("prefix=" + sys.prefix + "\0")
for k in ("VIRTUAL_ENV", "VIRTUAL_ENV_PROMPT", "PS1", "PYTHONHOME"):
    sys.stdout.write("child_" + k + "=" + ("set:" + e[k] if k in e else "unset") + "\0")
'
if [ -n "${PS1+x}" ]; then
    case $T_KIND in
        bash) eval '_shown=${PS1@P}' ;;
        zsh) eval '_shown=${(%%)PS1}' ;;
        *) eval "_shown=\"$PS1\"" ;;
    esac
    rec shown "$_shown"
fi
deactivate
state after_
"#;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Bash,
    Zsh,
    Dash,
    Ksh93,
    Mksh,
    Busybox,
}

const KINDS: [Kind; 6] = [Kind::Bash, Kind::Zsh, Kind::Dash, Kind::Ksh93, Kind::Mksh, Kind::Busybox];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bash => "bash",
            Kind::Zsh => "zsh",
            Kind::Dash => "dash",
            Kind::Ksh93 => "ksh93",
            Kind::Mksh => "mksh",
            Kind::Busybox => "busybox",
        }
    }

    /// The program and the arguments that come before `-c`.
    fn program(self) -> Option<(PathBuf, Vec<&'static str>)> {
        let path = require(self.name())?;
        Some(match self {
            Kind::Busybox => (path, vec!["sh"]),
            Kind::Zsh => (path, vec!["-f"]),
            _ => (path, vec![]),
        })
    }

    fn command(self, work: &Path, script: &str) -> Option<Command> {
        let (program, pre) = self.program()?;
        let mut cmd = shell_command(&program, work);
        cmd.args(pre).arg("-c").arg(script).arg("driver");
        cmd.env("T_KIND", self.name());
        Some(cmd)
    }

    /// PS1 right after activation over `old`.
    fn expected_ps1(self, prompt: &str, old: &str) -> String {
        match self {
            Kind::Zsh => format!("({}) {old}", prompt.replace('%', "%%")),
            _ => format!("(${{_VENVOY_PS1_TEXT-}}) {old}"),
        }
    }

    /// PS1 as the driver's expansion shows it.
    fn expected_shown(self, prompt: &str, old: &str) -> String {
        let text = match self {
            Kind::Busybox => prompt.replace('\\', "\\\\"),
            Kind::Ksh93 => prompt.replace('!', "!!"),
            _ => prompt.to_owned(),
        };
        format!("({text}) {old}")
    }
}

/// Source the env's script in `kind` and check every promise.
fn check_env(kind: Kind, env: &TestEnv, prompt: &str) {
    let script = env.bin().join("activate");
    let Some(mut cmd) = kind.command(&env.work, DRIVER) else {
        return;
    };
    cmd.env("T_SCRIPT", &script);
    let out = run(&mut cmd);
    let r = Records::parse(&out);
    let ctx = format!("{kind:?} env {:?} prompt {prompt:?}", env.env_dir);

    let path0 = r.get("before_PATH").to_vec();
    assert_eq!(r.get("active_VE"), set(&bytes(&env.env_dir)), "{ctx}");
    assert_eq!(r.get("active_VEP"), set(prompt.as_bytes()), "{ctx}");
    assert_eq!(r.get("active_PATH"), prepended(&env.bin(), &path0), "{ctx}");
    assert_eq!(r.get("prefix"), bytes(&env.env_dir), "{ctx}: sys.prefix");
    assert_eq!(r.get("child_VIRTUAL_ENV"), set(&bytes(&env.env_dir)), "{ctx}");
    assert_eq!(r.get("child_VIRTUAL_ENV_PROMPT"), set(prompt.as_bytes()), "{ctx}");
    assert_eq!(r.str("child_PS1"), "unset", "{ctx}: PS1 must not be exported");
    assert_eq!(r.get("active_PS1"), set(kind.expected_ps1(prompt, "old> ").as_bytes()), "{ctx}");
    assert_eq!(r.str("shown"), kind.expected_shown(prompt, "old> "), "{ctx}");
    assert_eq!(r.str("active_deactivate"), "yes", "{ctx}");

    for key in ["PATH", "PYTHONHOME", "PS1", "VE", "VEP"] {
        assert_eq!(
            r.get(&format!("after_{key}")),
            r.get(&format!("before_{key}")),
            "{ctx}: {key} not restored"
        );
    }
    assert_eq!(r.str("after_deactivate"), "no", "{ctx}: deactivate left behind");
    env.assert_nothing_ran();
}

fn matrix(kind: Kind) {
    if kind.program().is_none() {
        return;
    }
    for name in HOSTILE {
        let env = TestEnv::new(name, "plain");
        check_env(kind, &env, "plain");
        let env = TestEnv::new("env", name);
        check_env(kind, &env, name);
    }
}

#[test]
fn matrix_bash() {
    matrix(Kind::Bash);
}

#[test]
fn matrix_zsh() {
    matrix(Kind::Zsh);
}

#[test]
fn matrix_dash() {
    matrix(Kind::Dash);
}

#[test]
fn matrix_ksh93() {
    matrix(Kind::Ksh93);
}

#[test]
fn matrix_mksh() {
    matrix(Kind::Mksh);
}

#[test]
fn matrix_busybox() {
    matrix(Kind::Busybox);
}

/// Run the driver with extra environment and return its records.
fn drive(kind: Kind, env: &TestEnv, vars: &[(&str, &std::ffi::OsStr)]) -> Option<Records> {
    let mut cmd = kind.command(&env.work, DRIVER)?;
    cmd.env("T_SCRIPT", env.bin().join("activate"));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    Some(Records::parse(&run(&mut cmd)))
}

#[test]
fn switching_envs_restores_the_first_state() {
    let a = TestEnv::new("env a", "A");
    let b = TestEnv::new("env b", "B");
    for kind in KINDS {
        let first = a.bin().join("activate");
        let Some(r) = drive(kind, &b, &[("T_FIRST", first.as_os_str()), ("T_PYTHONHOME", "/ph".as_ref())])
        else {
            continue;
        };
        let path0 = r.get("before_PATH").to_vec();
        assert_eq!(r.get("active_VE"), set(&bytes(&b.env_dir)), "{kind:?}");
        // A's bin dir is gone from PATH, only B's is in front.
        assert_eq!(r.get("active_PATH"), prepended(&b.bin(), &path0), "{kind:?}");
        assert_eq!(r.str("shown"), kind.expected_shown("B", "old> "), "{kind:?}");
        assert_eq!(r.str("active_PYTHONHOME"), "unset", "{kind:?}");
        for key in ["PATH", "PYTHONHOME", "PS1", "VE", "VEP"] {
            assert_eq!(r.get(&format!("after_{key}")), r.get(&format!("before_{key}")), "{kind:?}: {key}");
        }
        b.assert_nothing_ran();
    }
}

#[test]
fn ps1_unset_or_empty_is_restored_as_such() {
    let env = TestEnv::new("env", "p");
    for kind in KINDS {
        for mode in ["unset", "empty"] {
            let Some(r) = drive(kind, &env, &[("T_PS1", mode.as_ref())]) else {
                continue;
            };
            let expected = if mode == "unset" { "unset" } else { "set:" };
            assert_eq!(r.str("before_PS1"), expected, "{kind:?} {mode}");
            assert_eq!(r.str("after_PS1"), expected, "{kind:?} {mode}");
            assert_eq!(r.str("shown"), kind.expected_shown("p", ""), "{kind:?} {mode}");
        }
    }
}

#[test]
fn pythonhome_is_saved_unset_and_restored() {
    let env = TestEnv::new("env", "p");
    for kind in KINDS {
        for value in ["/some/home dir", ""] {
            let Some(r) = drive(kind, &env, &[("T_PYTHONHOME", value.as_ref())]) else {
                continue;
            };
            assert_eq!(r.get("before_PYTHONHOME"), set(value.as_bytes()), "{kind:?}");
            assert_eq!(r.str("active_PYTHONHOME"), "unset", "{kind:?}");
            assert_eq!(r.str("child_PYTHONHOME"), "unset", "{kind:?}");
            assert_eq!(r.get("prefix"), bytes(&env.env_dir), "{kind:?}");
            assert_eq!(r.get("after_PYTHONHOME"), set(value.as_bytes()), "{kind:?}");
        }
    }
}

#[test]
fn disable_prompt_leaves_ps1_alone() {
    let env = TestEnv::new("env", "p");
    for kind in KINDS {
        let Some(r) = drive(kind, &env, &[("VIRTUAL_ENV_DISABLE_PROMPT", "1".as_ref())]) else {
            continue;
        };
        assert_eq!(r.str("active_PS1"), "set:old> ", "{kind:?}");
        assert_eq!(r.str("active_VEP"), "set:p", "{kind:?}");
        assert_eq!(r.str("after_PS1"), "set:old> ", "{kind:?}");
    }
}

#[test]
fn sourced_by_relative_path_from_another_directory() {
    let env = TestEnv::new("my env", "p");
    let elsewhere = env.root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    for kind in KINDS {
        let Some(mut cmd) = kind.command(&env.work, DRIVER) else {
            continue;
        };
        cmd.env("T_CD", &elsewhere).env("T_SCRIPT", "../my env/bin/activate");
        let r = Records::parse(&run(&mut cmd));
        assert_eq!(r.get("active_VE"), set(&bytes(&env.env_dir)), "{kind:?}");
        assert_eq!(r.get("prefix"), bytes(&env.env_dir), "{kind:?}");
    }
}

#[test]
fn strict_mode_in_every_shell() {
    // The driver runs under `set -eu` and pipefail where the shell has it;
    // here bash gets every strict option there is, and an unset PS1.
    let env = TestEnv::new("env", "p");
    let Some(mut cmd) = Kind::Bash.command(
        &env.work,
        "set -euo pipefail; shopt -s failglob inherit_errexit; unset PS1; . \"$T_SCRIPT\"; \
         python -c 'import sys; print(sys.prefix)'; deactivate; echo done",
    ) else {
        return;
    };
    cmd.env("T_SCRIPT", env.bin().join("activate"));
    let out = String::from_utf8(run(&mut cmd)).unwrap();
    assert_eq!(out, format!("{}\ndone\n", env.env_dir.display()));
}

#[test]
fn refuses_to_be_executed() {
    let env = TestEnv::new("env", "p");
    let script = env.bin().join("activate");
    for kind in KINDS {
        let Some((program, pre)) = kind.program() else {
            continue;
        };
        let out = shell_command(&program, &env.work).args(pre).arg(&script).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{kind:?}: {stderr}");
        assert!(stderr.contains("must be sourced"), "{kind:?}: {stderr}");
    }
}

#[test]
fn relocatable_env_is_found_from_the_script() {
    let env = TestEnv::with("first place", "p", true);
    let moved = env.root.path().join("moved $(touch pwned) 'x'");
    std::fs::rename(&env.env_dir, &moved).unwrap();
    // bin/python is an absolute symlink, so it still works after the move.
    for kind in KINDS {
        let Some(mut cmd) = kind.command(&env.work, DRIVER) else {
            continue;
        };
        cmd.env("T_SCRIPT", moved.join("bin/activate"));
        let out = cmd.output().unwrap();
        if matches!(kind, Kind::Bash | Kind::Zsh | Kind::Ksh93) {
            check(&out, &cmd);
            let r = Records::parse(&out.stdout);
            assert_eq!(r.get("active_VE"), set(&bytes(&moved)), "{kind:?}");
            assert_eq!(r.get("prefix"), bytes(&moved), "{kind:?}");
            assert_eq!(r.get("after_PATH"), r.get("before_PATH"), "{kind:?}");
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!out.status.success(), "{kind:?} should refuse");
            assert!(stderr.contains("cannot tell a sourced script"), "{kind:?}: {stderr}");
        }
        env.assert_nothing_ran();
    }
}

#[test]
fn relocatable_env_with_a_trailing_newline_in_its_name() {
    let env = TestEnv::with("ends in newline\n", "p", true);
    for kind in [Kind::Bash, Kind::Zsh, Kind::Ksh93] {
        let Some(r) = drive(kind, &env, &[]) else {
            continue;
        };
        assert_eq!(r.get("active_VE"), set(&bytes(&env.env_dir)), "{kind:?}");
    }
}

#[test]
fn non_utf8_path_works() {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9 $(touch pwned)");
    let env = TestEnv::new(name, "p");
    for kind in KINDS {
        let Some(r) = drive(kind, &env, &[]) else {
            continue;
        };
        assert_eq!(r.get("active_VE"), set(&bytes(&env.env_dir)), "{kind:?}");
        assert_eq!(r.get("prefix"), bytes(&env.env_dir), "{kind:?}");
        env.assert_nothing_ran();
    }
}

#[test]
fn colon_in_path_is_refused() {
    let env = TestEnv::new("a:b", "p");
    let Some(mut cmd) = Kind::Bash.command(
        &env.work,
        "PS1='x'; if . \"$T_SCRIPT\"; then echo activated; else echo \"refused ${VIRTUAL_ENV-unset} $PS1\"; fi",
    ) else {
        return;
    };
    cmd.env("T_SCRIPT", env.bin().join("activate"));
    let out = cmd.output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "refused unset x\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("PATH cannot hold"));
}

/// The prompt as an interactive shell really prints it: every hostile
/// prompt shows literally and runs nothing. (ksh93 prints no prompt when
/// its input is not a terminal, so it is checked above through expansion.)
#[test]
fn interactive_shells_print_the_prompt_literally() {
    for kind in [Kind::Bash, Kind::Zsh, Kind::Dash, Kind::Mksh, Kind::Busybox] {
        let Some((program, mut pre)) = kind.program() else {
            continue;
        };
        if kind == Kind::Bash {
            pre.extend(["--norc", "--noprofile"]);
        }
        for prompt in HOSTILE {
            if kind == Kind::Mksh && prompt.contains('\r') {
                // mksh drops carriage returns when it prints a prompt.
                continue;
            }
            let env = TestEnv::new("env", prompt);
            let input =
                "unsetopt prompt_sp prompt_cr 2>/dev/null\nPS1='old> '\n. \"$T_SCRIPT\"\necho __END__\n";
            let stdin = env.root.path().join("input.sh");
            std::fs::write(&stdin, input).unwrap();
            let out = shell_command(&program, &env.work)
                .args(&pre)
                .arg("-i")
                .env("ENV", "/dev/null")
                .env("T_SCRIPT", env.bin().join("activate"))
                .stdin(std::fs::File::open(&stdin).unwrap())
                .output()
                .unwrap();
            let all = [out.stdout, out.stderr].concat();
            let all = String::from_utf8_lossy(&all);
            let expected = format!("({prompt}) old> ");
            assert!(
                all.contains(&expected),
                "{kind:?}: prompt {prompt:?} not shown as {expected:?} in:\n{all}"
            );
            env.assert_nothing_ran();
        }
    }
}

/// Prompt options users turn on: zsh's `prompt_subst` and `prompt_bang`
/// (oh-my-zsh sets the first), bash without `promptvars`.
#[test]
fn prompt_options_keep_the_prompt_literal() {
    let cases = [
        (Kind::Zsh, "setopt prompt_subst"),
        (Kind::Zsh, "setopt prompt_subst prompt_bang"),
        (Kind::Zsh, "setopt prompt_bang; unsetopt prompt_percent"),
        (Kind::Bash, "shopt -u promptvars"),
    ];
    for (kind, setup) in cases {
        for prompt in HOSTILE {
            let env = TestEnv::new("env", prompt);
            let Some(r) = drive(kind, &env, &[("T_SETUP", setup.as_ref())]) else {
                continue;
            };
            assert_eq!(r.str("shown"), format!("({prompt}) old> "), "{kind:?} {setup}");
            assert_eq!(r.str("after_PS1"), "set:old> ", "{kind:?} {setup}");
            env.assert_nothing_ran();
        }
    }
}
