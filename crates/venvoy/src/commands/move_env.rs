//! `venvoy move`: move an env to a new path or name, every path in it fixed,
//! venvoy's registry and pointer files following it.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;
use venvoy_relocate::RelocateError;

use super::clone::{activate_hint, dest_path, summary};
use crate::cli::MoveArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

pub fn run(args: MoveArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let (env, dest) = args.target.get().map_err(|e| UserError::new(e).hint("see `venvoy move --help`"))?;
    let source = settings.env_context().resolve(Some(env))?.root;
    let dest = dest_path(dest, settings)?;
    if !args.force && settings.virtual_env.as_deref().is_some_and(|active| same_dir(active, &source)) {
        return Err(RelocateError::ActiveEnv { path: source }.into());
    }
    let moved = venvoy_relocate::move_env(&source, &dest)?;
    // venvoy moved it: the env at the new path is trusted, the old path forgotten.
    let trust = settings.trust();
    if let Err(err) = trust.forget(&source).and_then(|_| trust.record_created(&moved.root)) {
        printer.warn(format_args!("could not record `{}` as trusted: {err}", moved.root.display()));
    }
    if let Some((path, err)) = &moved.leftover {
        printer.warn(format_args!(
            "the env was moved, but `{}` could not all be deleted: {err}",
            path.display()
        ));
    }
    let pointers =
        match venvoy_env::links::follow_move(&settings.registry(), settings.places(), &source, &moved.root) {
            Ok(files) => files,
            Err(err) => {
                printer
                    .warn(format_args!("could not update venvoy's records of `{}`: {err}", source.display()));
                Vec::new()
            }
        };
    if args.json {
        #[derive(Serialize)]
        struct Json<'a> {
            source: &'a Path,
            path: &'a Path,
            same_file_system: bool,
            pointer_files: &'a [std::path::PathBuf],
            files: crate::json::Files,
        }
        printer.json(&Json {
            source: &source,
            path: &moved.root,
            same_file_system: moved.same_file_system,
            pointer_files: &pointers,
            files: (&moved.stats).into(),
        })?;
    } else {
        printer.message(format_args!(
            "Moved `{}` to `{}` ({})",
            source.display(),
            moved.root.display(),
            summary(&moved.stats)
        ));
        for file in &pointers {
            printer.message(format_args!("Updated `{}`", file.display()));
        }
        printer.message(format_args!("Activate with: {}", activate_hint(&moved.root, settings)));
    }
    Ok(ExitCode::SUCCESS)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b)
}
