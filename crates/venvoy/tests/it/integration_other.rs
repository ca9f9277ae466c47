//! The shell integration in nushell and xonsh (real shells, non-interactive),
//! PowerShell's as a golden file, and `venvoy shell`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::*;

pub(crate) fn tool(rel: &str, name: &str) -> Option<PathBuf> {
    let tools = std::env::var_os("VENVOY_TEST_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools"));
    let local = tools.join(rel);
    if local.is_file() {
        return Some(local);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}

fn world() -> (TestContext, PathBuf) {
    let mut ctx = TestContext::new();
    let home = ctx.root.path().join("envs");
    ctx.env("VENVOY_HOME", &home);
    let py = supported_pythons().remove(0).1;
    assert_code(&ctx.run(&["create", "--without-pip", "-p", py.to_str().unwrap(), "-n", "web"]), 0);
    (ctx, home.join("web"))
}

fn command_in(ctx: &TestContext, program: &PathBuf) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear();
    ctx.sandbox_env(&mut cmd);
    cmd.current_dir(&ctx.work);
    cmd
}

#[test]
fn nushell_activate_and_deactivate() {
    let Some(nu) = tool("nu/bin/nu", "nu") else {
        return missing("nushell (`nu`)");
    };
    let (ctx, web) = world();
    for auto in [false, true] {
        let mut args = vec!["init", "nu"];
        if auto {
            args.push("--auto");
        }
        let out = ctx.run(&args);
        assert_code(&out, 0);
        let file = ctx.root.path().join("venvoy.nu");
        std::fs::write(&file, &out.stdout).unwrap();
        let script = format!(
            "source '{}'\nlet before = ($env.PATH | to json)\nvenvoy activate web\nprint $'VE=($env.VIRTUAL_ENV)'\nprint $'P=($env.VIRTUAL_ENV_PROMPT)'\nprint $'FIRST=($env.PATH | first)'\nvenvoy deactivate\nprint $'AFTER=($env.VIRTUAL_ENV? | default none)'\nprint $'SAME=(($env.PATH | to json) == $before)'",
            file.display()
        );
        let out = command_in(&ctx, &nu).args(["--no-config-file", "-c", &script]).output().unwrap();
        let text = stdout(&out);
        assert!(out.status.success(), "{text}\n{}", stderr(&out));
        assert!(text.contains(&format!("VE={}", web.display())), "{text}");
        assert!(text.contains("P=web"), "{text}");
        assert!(text.contains(&format!("FIRST={}/bin", web.display())), "{text}");
        assert!(text.contains("AFTER=none") && text.contains("SAME=true"), "{text}");
    }
}

#[test]
fn xonsh_activate_and_deactivate() {
    let Some(xonsh) = tool("xonsh-venv/bin/xonsh", "xonsh") else {
        return missing("xonsh");
    };
    let (ctx, web) = world();
    let out = ctx.run(&["init", "xonsh", "--auto"]);
    assert_code(&out, 0);
    let file = ctx.root.path().join("venvoy.xsh");
    std::fs::write(&file, &out.stdout).unwrap();
    let script = ctx.root.path().join("drive.xsh");
    std::fs::write(
        &script,
        format!(
            "source '{}'\nbefore = list($PATH)\nvenvoy activate web\nprint('VE=' + $VIRTUAL_ENV)\nprint('FIRST=' + $PATH[0])\nvenvoy deactivate\nprint('AFTER=' + str(${{...}}.get('VIRTUAL_ENV')))\nprint('SAME=' + str(list($PATH) == before))\n",
            file.display()
        ),
    )
    .unwrap();
    let out = command_in(&ctx, &xonsh).args(["--no-rc", script.to_str().unwrap()]).output().unwrap();
    let text = stdout(&out);
    assert!(out.status.success(), "{text}\n{}", stderr(&out));
    assert!(text.contains(&format!("VE={}", web.display())), "{text}\n{}", stderr(&out));
    assert!(text.contains(&format!("FIRST={}/bin", web.display())), "{text}");
    assert!(text.contains("AFTER=None") && text.contains("SAME=True"), "{text}");
}

/// PowerShell cannot run here: its integration is checked as text.
#[test]
fn powershell_integration_golden() {
    let ctx = TestContext::new();
    for auto in [false, true] {
        let mut args = vec!["init", "pwsh"];
        if auto {
            args.push("--auto");
        }
        let out = ctx.run(&args);
        assert_code(&out, 0);
        let bin = PathBuf::from(ctx.venvoy().get_program());
        let text = stdout(&out).replace(bin.to_str().unwrap(), "[VENVOY]");
        assert!(text.contains("$script:VenvoyBin = '[VENVOY]'"), "the binary path is single-quoted");
        assert!(!text.contains('\r'));
        if auto {
            insta::assert_snapshot!("init_pwsh_auto", text);
        } else {
            insta::assert_snapshot!("init_pwsh", text);
        }
    }
    // A path with a quote in it is doubled, PowerShell's way.
    let text = String::from_utf8(ctx.run(&["init", "pwsh"]).stdout).unwrap();
    assert!(text.starts_with("# venvoy shell integration for PowerShell"));
}

#[test]
fn unsupported_init_shells_say_what_to_do() {
    let ctx = TestContext::new();
    let out = ctx.run(&["init", "tcsh"]);
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("`venvoy init` does not support tcsh") && stderr(&out).contains("activate.csh"),
        "{}",
        stderr(&out)
    );
    let out = ctx.run(&["init", "elvish"]);
    assert_code(&out, 2);
    assert!(stderr(&out).contains("venvoy has no activation for elvish"), "{}", stderr(&out));
}

/// `venvoy shell` starts the user's shell with the env active; leaving it
/// returns the shell's exit code; nesting is refused without --force.
#[test]
fn subshell_has_the_env_active() {
    let (ctx, web) = world();
    let mut child = ctx
        .venvoy()
        .env("SHELL", "/bin/bash")
        .env("PS1", "P> ")
        .args(["shell", "web"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"printf '@@%s|%s|%s@@\\n' \"$VIRTUAL_ENV\" \"$(command -v python)\" \"$VENVOY_SHELL\"\nexit 3\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stdout(&out);
    let bin = web.join("bin");
    assert!(
        text.contains(&format!("@@{}|{}/python|{}@@", web.display(), bin.display(), web.display())),
        "{text}"
    );
    assert!(stderr(&out).contains("Starting bash with"), "{}", stderr(&out));

    let out =
        ctx.venvoy().env("VENVOY_SHELL", &web).args(["shell", "web"]).stdin(Stdio::null()).output().unwrap();
    assert_code(&out, 2);
    assert!(
        stderr(&out).contains("already a venvoy shell") && stderr(&out).contains("--force"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn init_takes_the_same_shell_names_as_completions() {
    let ctx = TestContext::new();
    for (name, alias) in [("nu", "nushell"), ("pwsh", "powershell")] {
        let a = ctx.run(&["init", name]);
        let b = ctx.run(&["init", alias]);
        assert_code(&a, 0);
        assert_code(&b, 0);
        assert_eq!(a.stdout, b.stdout, "`init {alias}` is `init {name}`");
    }
}

/// The command `init tcsh`'s hint shows works when typed into tcsh.
#[test]
fn the_tcsh_hint_runs_in_tcsh() {
    let Some(tcsh) = tool("tcsh", "tcsh") else { return missing("tcsh") };
    let (ctx, web) = world();
    let out = ctx.run(&["init", "tcsh"]);
    assert_code(&out, 2);
    let err = stderr(&out);
    let command = err.split('`').find(|part| part.starts_with("source ")).unwrap_or_else(|| panic!("{err}"));
    let command = command.replace("ENV/bin", &web.join("bin").to_string_lossy());
    let out = command_in(&ctx, &tcsh)
        .args(["-f", "-c", &format!("{command} && echo $VIRTUAL_ENV")])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out).trim(), web.to_string_lossy(), "{}", stderr(&out));
}

/// bash completes env names after `venvoy activate` and after `-e`, as it
/// does for `workon`.
#[test]
fn bash_completes_env_names_for_activate_and_dash_e() {
    let Some(bash) = tool("bash", "bash") else { return missing("bash") };
    let (ctx, _web) = world();
    let exe = assert_cmd::cargo::cargo_bin("venvoy");
    let script = format!(
        r#"eval "$({exe} init bash)"
COMP_WORDS=(venvoy activate w); COMP_CWORD=2; __venvoy_complete_cmd; echo "activate:${{COMPREPLY[*]}}"
COMP_WORDS=(venvoy run -e ''); COMP_CWORD=3; __venvoy_complete_cmd; echo "run:${{COMPREPLY[*]}}"
COMP_WORDS=(venvoy create x); COMP_CWORD=2; __venvoy_complete_cmd; echo "create:${{COMPREPLY[*]}}""#,
        exe = exe.display()
    );
    let out = command_in(&ctx, &bash).args(["--norc", "-c", &script]).output().unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "activate:web\nrun:web\ncreate:\n", "{}", stderr(&out));
}
