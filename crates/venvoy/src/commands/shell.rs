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
        _ => {
            // Shells without a start-up hook we can add to: the variables
            // activation sets, set for the child directly.
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
