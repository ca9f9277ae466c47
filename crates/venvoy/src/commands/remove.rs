//! `venvoy remove`: delete envs — only ever directories that are venvs —
//! and forget them; an env that projects link to with `.venv` files is kept
//! unless `--force`, and `--unlink` deletes those files too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use venvoy_env::{EnvError, Rule, links};

use crate::cli::RemoveArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

pub fn run(args: RemoveArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let ctx = settings.env_context();
    let registry = settings.registry();
    // Resolve everything first: nothing is deleted if any ENV is wrong.
    let mut targets: Vec<PathBuf> = Vec::new();
    let mut forget: Vec<PathBuf> = Vec::new();
    for spec in args.envs.iter().chain(&args.env_flags) {
        match ctx.resolve(Some(spec)) {
            Ok(env) => targets.push(env.root),
            // Already gone from disk but still recorded: forgetting it is all there is to do.
            Err(EnvError::Missing { path, .. }) if registry.get(&path).is_some() => {
                finish_interrupted(&path, printer);
                forget.push(path);
            }
            Err(EnvError::Missing { path, .. }) if finish_interrupted(&path, printer) => {}
            Err(err) => return Err(err.into()),
        }
    }
    // The current project's `.venv` file counts as a known link too.
    let here: Vec<PathBuf> = match ctx.project_env(&ctx.cwd) {
        Some(Ok(env)) => match env.rule {
            Rule::Pointer { file } => vec![file],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let places = settings.places();
    let mut linked: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for root in targets.iter().chain(&forget) {
        let files = links::pointers_to(&registry, root, &here, places);
        if !files.is_empty() {
            linked.push((root.clone(), files));
        }
    }
    if !args.force
        && let Some((root, files)) = linked.iter().find(|(r, _)| targets.contains(r))
    {
        let list: Vec<String> = files.iter().map(|f| format!("`{}`", f.display())).collect();
        return Err(UserError::new(format!(
            "`{}` is linked from {}; refusing to delete it",
            root.display(),
            list.join(", ")
        ))
        .hint("pass `--force --unlink` to delete it and those `.venv` files, or `--force` to delete it and leave them")
        .into());
    }
    for root in &targets {
        if !args.force && settings.virtual_env.as_deref().is_some_and(|a| same_dir(a, root)) {
            return Err(UserError::new(format!("`{}` is the active env", root.display()))
                .hint("run `deactivate` first, or pass `--force` to delete it anyway")
                .into());
        }
    }
    if !args.yes && !targets.is_empty() {
        let list: Vec<String> = targets.iter().map(|t| format!("`{}`", t.display())).collect();
        match printer.confirm(&format!("Delete {}?", list.join(", ")))? {
            None => {
                return Err(UserError::new(
                    "`venvoy remove` needs confirmation, and standard input is not a terminal",
                )
                .hint("pass `--yes` to delete without asking")
                .into());
            }
            Some(false) => {
                printer.message("Nothing deleted");
                return Ok(ExitCode::from(1));
            }
            Some(true) => {}
        }
    }
    for root in &targets {
        delete_venv(root, args.force)?;
        printer.message(format_args!("Deleted `{}`", root.display()));
        forget.push(root.clone());
    }
    for root in &forget {
        if args.unlink {
            let files = linked.iter().find(|(r, _)| r == root).map(|(_, f)| f.as_slice()).unwrap_or_default();
            for file in links::unlink(files, root, places)? {
                printer.message(format_args!("Removed the `.venv` file `{}`", file.display()));
            }
        }
        if registry.remove(root)?.is_some() && !targets.contains(root) {
            printer.message(format_args!("Forgot `{}`", root.display()));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Delete what an interrupted `remove` of `path` had moved aside; whether
/// there was any.
fn finish_interrupted(path: &Path, printer: &Printer) -> bool {
    let cleaned = venvoy_fs::atomic::clean_stale_siblings(path);
    if cleaned.is_empty() {
        return false;
    }
    printer.message(format_args!("Deleted `{}` (an interrupted run had moved it aside)", path.display()));
    true
}

fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || std::fs::canonicalize(a).ok().zip(std::fs::canonicalize(b).ok()).is_some_and(|(a, b)| a == b)
}

/// Move the venv aside (so it disappears at once), then delete it. The one
/// deletion gate is asked right before: only a venv is ever deleted, and one
/// that holds a project or user data only with `--force`.
fn delete_venv(root: &Path, force: bool) -> Result<()> {
    let meta = std::fs::symlink_metadata(root)?;
    if meta.file_type().is_symlink() {
        if !venvoy_fs::is_venv(root) {
            return Err(
                UserError::new(format!("`{}` is not a venv; refusing to delete it", root.display())).into()
            );
        }
        // A symlinked env: remove the link only, never what it points to.
        fs_err::remove_file(root)?;
        return Ok(());
    }
    venvoy_fs::gate::delete_env(root, force)?;
    Ok(())
}
