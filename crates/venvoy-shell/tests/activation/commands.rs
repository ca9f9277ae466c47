//! `Shell::activate_command`: the exact line a user is told to type works in
//! the real shell for every hostile env path.

use venvoy_shell::Shell;

use crate::support::*;

/// The shell program and its flags before the script, and what to append
/// to the activate command to print `VIRTUAL_ENV` NUL-terminated.
fn setup(shell: Shell) -> Option<(std::path::PathBuf, Vec<&'static str>, &'static str)> {
    Some(match shell {
        Shell::Bash => (require("bash")?, vec!["-c"], "\nprintf '%s\\0' \"$VIRTUAL_ENV\""),
        Shell::Zsh => (require("zsh")?, vec!["-f", "-c"], "\nprintf '%s\\0' \"$VIRTUAL_ENV\""),
        Shell::Sh => (require("dash")?, vec!["-c"], "\nprintf '%s\\0' \"$VIRTUAL_ENV\""),
        Shell::Ksh => (require("ksh93")?, vec!["-c"], "\nprintf '%s\\0' \"$VIRTUAL_ENV\""),
        Shell::Fish => (require("fish")?, vec!["--no-config", "-c"], "\nprintf '%s\\0' \"$VIRTUAL_ENV\""),
        Shell::Tcsh => (
            require("tcsh")?,
            vec!["-f", "-c"],
            "\nif ($?VIRTUAL_ENV) /usr/bin/printf '%s\\0' $VIRTUAL_ENV:q",
        ),
        Shell::Nu => {
            (require("nu")?, vec!["-n", "--no-std-lib", "-c"], "\nprint -n ($env.VIRTUAL_ENV + (char nul))")
        }
        Shell::Xonsh => {
            (require("xonsh")?, vec!["--no-rc", "-c"], "\nprint(${...}.get('VIRTUAL_ENV', ''), end='\\0')")
        }
        _ => return None,
    })
}

fn check(shell: Shell, env: &TestEnv) {
    let Some((program, args, print)) = setup(shell) else {
        return;
    };
    let script = shell.activate_command(&env.bin()) + print;
    let mut cmd = shell_command(&program, &env.work);
    cmd.args(args).arg(&script);
    let out = cmd.output().unwrap();
    let expected: Vec<u8> = [bytes(&env.env_dir), vec![0]].concat();
    assert_eq!(out.stdout, expected, "{shell}: {script:?}\n{}", String::from_utf8_lossy(&out.stderr));
    env.assert_nothing_ran();
}

#[test]
fn activate_command_works_for_hostile_paths() {
    let envs: Vec<TestEnv> = HOSTILE.iter().map(|n| TestEnv::new(n, "p")).collect();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Sh, Shell::Ksh, Shell::Fish, Shell::Tcsh, Shell::Nu] {
        for env in &envs {
            check(shell, env);
        }
    }
}

#[test]
fn activate_command_works_in_xonsh() {
    // xonsh starts slowly: a few representative names.
    for name in ["with space", "it's", "say \"hi\"", "new\nline", "`x` {y} (z)", "$HOME ${HOME} a=~root"] {
        check(Shell::Xonsh, &TestEnv::new(name, "p"));
    }
}
