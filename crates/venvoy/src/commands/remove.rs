//! `venvoy remove`: delete envs — only ever directories that are venvs.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use venvoy_env::{EnvError, pointer};

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
    for spec in &args.envs {
        match ctx.resolve(Some(spec)) {
            Ok(env) => targets.push(env.root),
            Err(EnvError::Missing { path, .. })
                if args.unlink && registry.load().iter().any(|e| e.path == path) =>
            {
                finish_interrupted(&path, printer);
                forget.push(path);
            }
            Err(EnvError::Missing { path, .. }) if finish_interrupted(&path, printer) => {}
            Err(err) => return Err(err.into()),
        }
    }
    for root in &targets {
        if !args.force && settings.virtual_env.as_deref().is_some_and(|a| same_dir(a, root)) {
            return Err(UserError::new(format!("`{}` is the active env", root.display()))
                .hint("run `deactivate` first, or pass `--force` to delete it anyway")
                .into());
        }
    }
    if !args.yes && !targets.is_empty() {
        if !std::io::stdin().is_terminal() {
            return Err(UserError::new(
                "`venvoy remove` needs confirmation, and standard input is not a terminal",
            )
            .hint("pass `--yes` to delete without asking")
            .into());
        }
        let list: Vec<String> = targets.iter().map(|t| format!("`{}`", t.display())).collect();
        eprint_flush(&format!("Delete {}? [y/N] ", list.join(", ")));
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            printer.message("Nothing deleted");
            return Ok(ExitCode::from(1));
        }
    }
    for root in &targets {
        delete_venv(root, args.force)?;
        printer.message(format_args!("Deleted `{}`", root.display()));
        forget.push(root.clone());
    }
    if args.unlink {
        for root in &forget {
            unlink(settings, root, printer)?;
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

#[allow(clippy::print_stderr)]
fn eprint_flush(text: &str) {
    eprint!("{text}");
    let _ = std::io::stderr().flush();
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

/// Forget the env in the registry, and delete the pointer files venvoy wrote
/// for it that still name it.
fn unlink(settings: &Settings, root: &Path, printer: &Printer) -> Result<()> {
    let Some(entry) = settings.registry().remove(root)? else { return Ok(()) };
    for file in &entry.pointer_files {
        let Ok(bytes) = std::fs::read(file) else { continue };
        let dir = file.parent().unwrap_or(Path::new("/"));
        let names_it = match pointer::parse(&bytes, dir) {
            Some(pointer::Pointer::Path(p)) => p == root,
            Some(pointer::Pointer::Name(n)) => settings.env_home.join(n) == root,
            None => false,
        };
        if names_it && std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
            fs_err::remove_file(file)?;
            printer.message(format_args!("Removed the pointer file `{}`", file.display()));
        }
    }
    printer.message(format_args!("Forgot `{}`", root.display()));
    Ok(())
}
