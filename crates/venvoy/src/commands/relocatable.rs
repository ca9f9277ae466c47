//! `venvoy relocatable`: convert an existing env so it keeps working when moved.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::cli::RelocatableArgs;
use crate::printer::Printer;
use crate::settings::Settings;

pub fn run(args: RelocatableArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let root = settings.env_context().resolve(args.env.as_deref())?.root;
    let converted = venvoy_relocate::make_relocatable(&root)?;
    if args.json {
        #[derive(Serialize)]
        struct Json<'a> {
            path: &'a std::path::Path,
            scripts: &'a [std::path::PathBuf],
            activation: &'a [std::path::PathBuf],
            config_changed: bool,
        }
        printer.json(&Json {
            path: &root,
            scripts: &converted.scripts,
            activation: &converted.activation,
            config_changed: converted.config_changed,
        })?;
    } else {
        printer.message(format_args!(
            "`{}` is relocatable: {} console scripts and {} activation scripts find it from where they are",
            root.display(),
            converted.scripts.len(),
            converted.activation.len()
        ));
        printer.message("It still needs the base interpreter at the path `pyvenv.cfg` names (`home`)");
    }
    Ok(ExitCode::SUCCESS)
}
