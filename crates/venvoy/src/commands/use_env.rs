//! `venvoy use ENV`: link the current project to an env with a `.venv` pointer file.

use std::process::ExitCode;

use venvoy_env::pointer::{self, Pointer};

use crate::cli::UseArgs;
use crate::printer::Printer;
use crate::report::{Context as _, Result, UserError};
use crate::settings::Settings;

pub fn run(args: UseArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let ctx = settings.env_context();
    let env = ctx.resolve(Some(&args.env))?;
    let file = ctx.cwd.join(".venv");
    if std::fs::symlink_metadata(&file).is_ok() && file.is_dir() {
        return Err(UserError::new(format!("`{}` is a directory (an env of its own)", file.display()))
            .hint("remove it with `venvoy remove ./.venv` first, or link from another directory")
            .into());
    }
    let target = match &env.name {
        Some(name) => Pointer::Name(name.clone()),
        None => Pointer::Path(env.root.clone()),
    };
    venvoy_fs::write_atomic(&file, pointer::render(&target).as_bytes())
        .with_context(|| format!("could not write `{}`", file.display()))?;
    if let Err(err) = settings.trust().record_created(&env.root) {
        printer.warn(format_args!("could not record `{}` as trusted: {err}", env.root.display()));
    }
    if let Err(err) = settings.registry().add_pointer(&env.root, &file, &ctx.cwd) {
        printer.warn(format_args!("could not record the link in the registry: {err}"));
    }
    printer.message(format_args!("Linked `{}` to the env `{}`", ctx.cwd.display(), env.root.display()));
    Ok(ExitCode::SUCCESS)
}
