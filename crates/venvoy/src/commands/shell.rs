//! `venvoy shell [ENV]`: a subshell of the user's shell with the env active.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use venvoy_shell::{Shell, quote};

use crate::cli::ShellArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

/// Set inside a venvoy subshell, to the env's root.
const MARKER: &str = "VENVOY_SHELL";

/// The shell to start: the parent process's, else `$SHELL`, else `/bin/sh`.
fn detect(settings: &Settings) -> (PathBuf, Shell) {
    #[cfg(target_os = "linux")]
    {
        let parent = std::os::unix::process::parent_id();
        if let Ok(exe) = std::fs::read_link(format!("/proc/{parent}/exe"))
            && let Some(shell) = Shell::from_path(&exe)
        {
            return (exe, shell);
        }
    }
    if let Some(path) = &settings.shell
        && let Some(shell) = Shell::from_path(path)
    {
        return (path.clone(), shell);
    }
    (PathBuf::from("/bin/sh"), Shell::Sh)
}

pub fn run(args: ShellArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    if let Some(outer) = &settings.venvoy_shell
        && !args.force
    {
        return Err(UserError::new(format!("this is already a venvoy shell (for `{}`)", outer.display()))
            .hint("type `exit` to leave it first, or pass `--force` to nest another")
            .into());
    }
    let env = super::first_use::resolve(settings, printer, args.env.get(), &args.first_use)?;
    let bin = venvoy_fs::scripts_dir(&env.root).unwrap_or_else(|| env.root.join("bin"));
    let (program, shell) = detect(settings);
    let script = bin.join(shell.script_name());
    let tmp = tempfile::Builder::new().prefix("venvoy-shell-").tempdir()?;
    let mut cmd = Command::new(&program);
    cmd.env(MARKER, &env.root);
    match shell {
        Shell::Bash => {
            let rc = tmp.path().join("bashrc");
            fs_err::write(
                &rc,
                format!("[ -f ~/.bashrc ] && . ~/.bashrc\n. {}\n", quote::posix(&script.to_string_lossy())),
            )?;
            cmd.arg("--rcfile").arg(&rc).arg("-i");
        }
        Shell::Zsh => {
            let home =
                settings.zdotdir.as_ref().or(settings.search.home.as_ref()).cloned().unwrap_or_default();
            let home = quote::posix(&home.to_string_lossy());
            fs_err::write(
                tmp.path().join(".zshrc"),
                format!(
                    "ZDOTDIR={home}\n[ -f \"$ZDOTDIR/.zshrc\" ] && . \"$ZDOTDIR/.zshrc\"\n. {}\n",
                    quote::posix(&script.to_string_lossy())
                ),
            )?;
            cmd.env("ZDOTDIR", tmp.path()).arg("-i");
        }
        Shell::Fish => {
            cmd.arg("-i").arg("-C").arg(format!("source {}", quote::fish(&script.to_string_lossy())));
        }
        Shell::Nu => {
            cmd.arg("-e").arg(format!("overlay use {}", quote::nu(&script.to_string_lossy())));
        }
        Shell::Sh | Shell::Ksh if script.is_file() => {
            // An interactive POSIX shell reads the file `$ENV` names: one
            // that reads the user's own (or the shell's default) and then
            // activates. `ENV` is put back for the shells started inside.
            let rc = tmp.path().join("env.sh");
            let mut text = match &settings.sh_env {
                Some(user) => {
                    // The shell expands `$ENV` itself (`ENV=$HOME/.shrc`).
                    format!(
                        "ENV={}; export ENV\ncase $ENV in ?*) eval \". \\\"$ENV\\\"\" ;; esac\n",
                        quote::posix(&user.to_string_lossy())
                    )
                }
                None => {
                    let mut text = String::from("unset ENV\n");
                    if let Some(default) = ksh_default_rc(&program) {
                        text.push_str(&format!("[ -f ~/{default} ] && . ~/{default}\n"));
                    }
                    text
                }
            };
            text.push_str(&format!(". {}\n", quote::posix(&script.to_string_lossy())));
            fs_err::write(&rc, text)?;
            cmd.env("ENV", &rc).arg("-i");
        }
        Shell::Csh | Shell::Tcsh if script.is_file() && settings.search.home.is_some() => {
            // csh reads `~/.cshrc` (tcsh `~/.tcshrc` first) from `$HOME`:
            // one there puts `HOME` back, reads the user's and activates.
            let home = settings.search.home.clone().unwrap_or_default();
            let mut text = format!("setenv HOME {}\n", quote::csh_word(&home.to_string_lossy()));
            let cshrc = quote::csh_word(&home.join(".cshrc").to_string_lossy());
            if shell == Shell::Tcsh {
                let tcshrc = quote::csh_word(&home.join(".tcshrc").to_string_lossy());
                text.push_str(&format!(
                    "if (-r {tcshrc}) then\n    source {tcshrc}\nelse if (-r {cshrc}) then\n    source {cshrc}\nendif\n"
                ));
            } else {
                text.push_str(&format!("if (-r {cshrc}) source {cshrc}\n"));
            }
            text.push_str(&format!("source {}\n", quote::csh_word(&script.to_string_lossy())));
            fs_err::write(tmp.path().join(if shell == Shell::Tcsh { ".tcshrc" } else { ".cshrc" }), text)?;
            cmd.env("HOME", tmp.path());
        }
        Shell::PowerShell if script.is_file() => {
            cmd.arg("-NoExit")
                .arg("-Command")
                .arg(format!(". {}", quote::powershell(&script.to_string_lossy())));
        }
        _ => {
            // xonsh (whose `{env_name}` prompt field shows the env from
            // these), shells without a start-up hook we can add to, and envs
            // without the shell's script: the variables activation sets,
            // set for the child directly.
            let path = settings.path_with(&bin)?;
            cmd.envs(venvoy_shell::EnvVars::load(&env.root)?.iter())
                .env("PATH", path)
                .env("VIRTUAL_ENV", &env.root)
                .env("VIRTUAL_ENV_PROMPT", super::activate::env_prompt(&env.root))
                .env_remove("PYTHONHOME");
        }
    }
    printer.message(format_args!(
        "Starting {} with `{}` active; `exit` to leave",
        shell.name(),
        env.root.display()
    ));
    printer.flush();
    let status =
        cmd.status().map_err(|e| UserError::new(format!("could not start `{}`: {e}", program.display())))?;
    drop(tmp);
    Ok(ExitCode::from(status.code().map_or(1, |c| (c & 0xff) as u8)))
}

/// The start-up file a Korn shell reads when `$ENV` is unset: mksh
/// `~/.mkshrc`, ksh93 `~/.kshrc` (dash and other `sh`: none).
fn ksh_default_rc(program: &std::path::Path) -> Option<&'static str> {
    let name = program.file_name()?.to_str()?;
    if name.contains("mksh") || name == "lksh" {
        Some(".mkshrc")
    } else if name.starts_with("ksh") {
        Some(".kshrc")
    } else {
        None
    }
}
