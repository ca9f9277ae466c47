//! `venvoy use ENV`: link the current project to an env with a PEP 832
//! `.venv` file holding the env's absolute path.

use std::process::ExitCode;

use venvoy_env::pointer;

use crate::cli::UseArgs;
use crate::printer::Printer;
use crate::report::{Context as _, Result, UserError};
use crate::settings::Settings;

pub fn run(args: UseArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let ctx = settings.env_context();
    let env = ctx.resolve(Some(args.env()))?;
    link(settings, printer, &ctx.cwd, &env.root)?;
    printer.message(format_args!("Linked `{}` to the env `{}`", ctx.cwd.display(), env.root.display()));
    Ok(ExitCode::SUCCESS)
}

/// Write `project/.venv` naming `env` and record the link. Never over a
/// `.venv` directory (an env of its own).
pub fn link(
    settings: &Settings,
    printer: &Printer,
    project: &std::path::Path,
    env: &std::path::Path,
) -> Result<()> {
    let file = project.join(".venv");
    if std::fs::symlink_metadata(&file).is_ok() && file.is_dir() {
        return Err(UserError::new(format!("`{}` is a directory (an env of its own)", file.display()))
            .hint("remove it with `venvoy remove ./.venv` first, or link from another directory")
            .into());
    }
    pointer::write(&file, env).with_context(|| format!("could not write `{}`", file.display()))?;
    if let Err(err) = settings.trust().record_created(env) {
        printer.warn(format_args!("could not record `{}` as trusted: {err}", env.display()));
    }
    if let Err(err) = settings.registry().add_pointer(env, &file, project) {
        printer.warn(format_args!("could not record the link in the registry: {err}"));
    }
    Ok(())
}
