//! `venvoy activate` / `deactivate` outside the shell integration (they explain
//! what to do), and the hidden `__activate-script` the integration calls.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_env::ResolvedEnv;
use venvoy_python::PyvenvCfg;
use venvoy_shell::Shell;

use crate::cli::{ActivateArgs, ActivateScriptArgs};
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

/// The activation shell, or an error for a shell venvoy only completes for.
pub fn activation_shell(name: crate::cli::ShellName) -> Result<Shell> {
    name.shell().ok_or_else(|| {
        let name =
            clap::ValueEnum::to_possible_value(&name).map(|v| v.get_name().to_owned()).unwrap_or_default();
        UserError::new(format!("venvoy has no activation for {name}"))
            .hint("use bash, zsh, fish, nu, xonsh, pwsh, sh, ksh, csh or tcsh")
            .into()
    })
}

/// The line to add to the shell's start-up file, for shells `venvoy init`
/// supports (the others activate with the env's script, or `venvoy shell`).
fn init_line(shell: Shell) -> Option<&'static str> {
    Some(match shell {
        Shell::Bash => "eval \"$(venvoy init bash)\"` to ~/.bashrc",
        Shell::Zsh => "eval \"$(venvoy init zsh)\"` to ~/.zshrc",
        Shell::Fish => "venvoy init fish | source` to ~/.config/fish/config.fish",
        Shell::Nu => "source ~/.venvoy.nu` to config.nu (after `venvoy init nu | save -f ~/.venvoy.nu`)",
        Shell::Xonsh => "execx($(venvoy init xonsh))` to ~/.xonshrc",
        Shell::PowerShell => "Invoke-Expression (& venvoy init pwsh | Out-String)` to $PROFILE",
        Shell::Sh | Shell::Ksh | Shell::Csh | Shell::Tcsh | Shell::Cmd => return None,
    })
}

/// `venvoy activate` run as a program: it cannot change its parent shell.
pub fn activate(args: ActivateArgs, settings: &Settings) -> Result<ExitCode> {
    let shell = settings.user_shell();
    let env = settings.env_context().resolve(args.env.get())?;
    let bin = venvoy_fs::scripts_dir(&env.root).unwrap_or_else(|| env.root.join("bin"));
    Err(UserError::new(
        "`venvoy activate` must run inside your shell, and the shell integration is not loaded",
    )
    .hint(match init_line(shell) {
        Some(init) => format!(
            "add `{init}, or activate this once with `{}`, or use `venvoy shell`",
            shell.activate_command(&bin)
        ),
        None => format!(
            "{} has no venvoy integration: activate with `{}`, or use `venvoy shell`",
            shell.name(),
            shell.activate_command(&bin)
        ),
    })
    .into())
}

/// `venvoy deactivate` run as a program.
pub fn deactivate(settings: &Settings) -> Result<ExitCode> {
    let shell = settings.user_shell();
    Err(UserError::new(
        "`venvoy deactivate` must run inside your shell, and the shell integration is not loaded",
    )
    .hint(match init_line(shell) {
        Some(init) => format!("type `deactivate`, or add `{init} for `venvoy deactivate`"),
        None => "type `deactivate`".to_owned(),
    })
    .into())
}

/// The prompt an env shows: `pyvenv.cfg`'s `prompt` (written as Python's
/// `repr()` by the stdlib and venvoy, bare by uv and virtualenv), else the
/// directory's name.
pub fn env_prompt(root: &Path) -> String {
    PyvenvCfg::read(root).unwrap_or_default().prompt().unwrap_or_else(|| {
        root.file_name().map_or_else(|| "venv".into(), |n| n.to_string_lossy().into_owned())
    })
}

fn resolve(
    settings: &Settings,
    env: Option<&str>,
    nearest: bool,
) -> Result<ResolvedEnv, venvoy_env::EnvError> {
    let ctx = settings.env_context();
    if nearest {
        return ctx
            .project_env(&ctx.cwd)
            .unwrap_or_else(|| Err(venvoy_env::EnvError::NotFound { cwd: ctx.cwd.clone() }));
    }
    ctx.resolve(env)
}

/// `venvoy __activate-script SHELL [ENV]`: the path of the env's activation
/// script for SHELL, without a trailing newline (so paths ending in one survive).
pub fn activate_script(args: ActivateScriptArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let shell = activation_shell(args.shell)?;
    let found = resolve(settings, args.env.as_deref(), args.nearest || args.auto);
    // `workon .` creates the project's env on first use; the cd hook never does.
    let env = if args.create {
        super::first_use::or_create(settings, printer, found, &args.first_use)?
    } else {
        found?
    };
    if args.auto {
        let decision = settings.trust().check(&env.root);
        if let Some(reason) = decision.reason() {
            // The one line the cd hook shows; nothing is sourced.
            let found = match &env.rule {
                venvoy_env::Rule::DotVenv { project } => project.clone(),
                venvoy_env::Rule::Pointer { file } => file.parent().unwrap_or(file).to_path_buf(),
                _ => settings.env_context().cwd,
            };
            let what = if env.root.starts_with(&found) {
                String::new()
            } else {
                format!(" (the env `{}`)", env.root.display())
            };
            printer.error(&format!(
                "venvoy: `.venv` in `{}`{what} {reason}: run `venvoy allow` to activate it on cd\n",
                found.display()
            ));
            return Ok(ExitCode::from(1));
        }
    }
    let bin: PathBuf = venvoy_fs::scripts_dir(&env.root).unwrap_or_else(|| env.root.join("bin"));
    if args.json {
        #[derive(Serialize)]
        struct Info<'a> {
            path: &'a Path,
            bin: &'a Path,
            prompt: String,
        }
        printer.json(&Info { path: &env.root, bin: &bin, prompt: env_prompt(&env.root) })?;
        return Ok(ExitCode::SUCCESS);
    }
    let script = bin.join(shell.script_name());
    if !script.is_file() {
        return Err(UserError::new(format!("the env `{}` has no `{}`", env.root.display(), shell.script_name()))
            .hint("it was probably made by another tool; `venvoy create --allow-existing -p <its python> <env>` writes venvoy's scripts into it")
            .into());
    }
    printer.raw(script.as_os_str());
    Ok(ExitCode::SUCCESS)
}
