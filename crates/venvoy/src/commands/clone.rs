//! `venvoy clone`: copy an env to a new path or name, every path in it fixed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_relocate::{LinkMode, Stats};

use crate::cli::CloneArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

pub fn run(args: CloneArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let (env, dest) = args.target.get().map_err(|e| UserError::new(e).hint("see `venvoy clone --help`"))?;
    let source = settings.env_context().resolve(Some(env))?.root;
    let dest = dest_path(dest, settings)?;
    let link = if args.copy { LinkMode::Copy } else { LinkMode::Auto };
    let cloned = venvoy_relocate::clone_env(&source, &dest, link)?;
    if let Err(err) = settings.trust().record_created(&cloned.root) {
        printer.warn(format_args!("could not record `{}` as trusted: {err}", cloned.root.display()));
    }
    if cloned.root.parent() != Some(settings.env_home.as_path()) {
        // A project env, as `create` records it; not being able to is not fatal.
        let project =
            (cloned.root.file_name() == Some(".venv".as_ref())).then(|| cloned.root.parent()).flatten();
        if let Err(err) = settings.registry().add(&cloned.root, project) {
            printer.warn(format_args!("could not record `{}` in the registry: {err}", cloned.root.display()));
        }
    }
    if args.json {
        printer.json(&Json { source: &source, path: &cloned.root, files: (&cloned.stats).into() })?;
    } else {
        printer.message(format_args!(
            "Cloned `{}` to `{}` ({})",
            source.display(),
            cloned.root.display(),
            summary(&cloned.stats)
        ));
        printer.message(format_args!("Activate with: {}", activate_hint(&cloned.root, settings)));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
pub struct Json<'a> {
    pub source: &'a Path,
    pub path: &'a Path,
    /// How the files got to the new place.
    pub files: crate::json::Files,
}

/// "12 files rewritten, 3400 hardlinked"
pub fn summary(s: &Stats) -> String {
    let mut parts = vec![format!("{} files rewritten", s.rewritten)];
    for (n, how) in [(s.reflinked, "reflinked"), (s.hardlinked, "hardlinked"), (s.copied, "copied")] {
        if n > 0 {
            parts.push(format!("{n} {how}"));
        }
    }
    parts.join(", ")
}

/// DEST: a path (contains `/`, or is `.`/`..`, or starts with `~`) relative to
/// the current directory, else a name in the env home.
pub fn dest_path(spec: &str, settings: &Settings) -> Result<PathBuf> {
    if venvoy_env::is_path_spec(spec) {
        return Ok(settings.env_context().absolute(Path::new(spec)));
    }
    if !venvoy_env::name::is_valid(spec) {
        return Err(venvoy_env::EnvError::BadName { name: spec.to_string() }.into());
    }
    Ok(settings.env_home.join(spec))
}

/// The command that activates the env at `root` in the user's shell.
pub fn activate_hint(root: &Path, settings: &Settings) -> String {
    let shell = settings.user_shell();
    let bin = venvoy_fs::scripts_dir(root).unwrap_or_else(|| root.join("bin"));
    let shown = bin.strip_prefix(&settings.search.cwd).map_or_else(|_| bin.clone(), Path::to_path_buf);
    shell.activate_command(&shown)
}
