//! `venvoy relocatable`: convert an existing env so it keeps working when moved.

use std::process::ExitCode;

use serde::Serialize;
use venvoy_venv::SeedHook;

use crate::cli::RelocatableArgs;
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

pub fn run(args: RelocatableArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let root = settings.env_context().resolve(args.env.get())?.root;
    let converted = venvoy_relocate::make_relocatable(&root)?;
    if args.json {
        #[derive(Serialize)]
        struct Json<'a> {
            path: &'a std::path::Path,
            scripts: &'a [std::path::PathBuf],
            activation: &'a [std::path::PathBuf],
            path_files: &'a [std::path::PathBuf],
            config_changed: bool,
        }
        printer.json(&Json {
            path: &root,
            scripts: &converted.scripts,
            activation: &converted.activation,
            path_files: &converted.path_files,
            config_changed: converted.config_changed,
        })?;
    } else {
        printer.message(format_args!(
            "`{}` is relocatable: {} console scripts, {} activation scripts and {} `.pth` files find it from where they are",
            root.display(),
            converted.scripts.len(),
            converted.activation.len(),
            converted.path_files.len()
        ));
        printer.message("It still needs the base interpreter at the path `pyvenv.cfg` names (`home`)");
    }
    Ok(ExitCode::SUCCESS)
}

/// A seed hook whose console scripts then find their interpreter from their
/// own location, for `venvoy create --relocatable`: the scripts are
/// converted in the env being built, before it appears at its path.
pub fn after_seed(hook: SeedHook) -> SeedHook {
    SeedHook::new(move |dir, root| {
        (hook.0)(dir, root)?;
        let bin = venvoy_fs::scripts_dir(dir).unwrap_or_else(|| dir.join("bin"));
        venvoy_relocate::make_scripts_relocatable(&bin, &[root.to_path_buf()])
            .map_err(venvoy_fs::BoxedHint::new)?;
        Ok(())
    })
}
