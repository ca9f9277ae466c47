//! `venvoy env set|unset|list`: the variables an env sets while it is
//! active, stored in the env (`venvoy_shell::vars`) and written into its
//! activation scripts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_python::PyvenvCfg;
use venvoy_shell::{ActivationConfig, EnvVars, quote};

use crate::cli::EnvCommand;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

pub fn run(cmd: EnvCommand, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    match cmd {
        EnvCommand::Set { env, assignments } => set(env.as_deref(), &assignments, settings, printer),
        EnvCommand::Unset { env, names } => unset(env.as_deref(), &names, settings, printer),
        EnvCommand::List { env, json } => list(env.as_deref(), json, settings, printer),
    }
}

/// The env's root, which must be a venv.
fn venv_root(spec: Option<&str>, settings: &Settings) -> Result<PathBuf> {
    let env = settings.env_context().resolve(spec)?;
    if !venvoy_fs::is_venv(&env.root) {
        return Err(UserError::new(format!("`{}` is not a virtual environment", env.root.display()))
            .hint("name an env with `-e ENV`; `venvoy list` shows the ones venvoy knows")
            .into());
    }
    Ok(env.root)
}

/// The scripts directory (`bin`, or `Scripts` in a Windows env).
fn scripts_dir(root: &Path) -> PathBuf {
    venvoy_fs::scripts_dir(root).unwrap_or_else(|| root.join("bin"))
}

fn is_windows_layout(bin: &Path) -> bool {
    bin.file_name().is_some_and(|n| n == "Scripts")
}

fn set(
    spec: Option<&str>,
    assignments: &[String],
    settings: &Settings,
    printer: &Printer,
) -> Result<ExitCode> {
    let root = venv_root(spec, settings)?;
    let windows = is_windows_layout(&scripts_dir(&root));
    let mut vars = EnvVars::load(&root)?;
    for assignment in assignments {
        let Some((name, value)) = assignment.split_once('=') else {
            return Err(UserError::new(format!("`{assignment}` is not NAME=VALUE"))
                .hint("write `venvoy env set NAME=VALUE` (quote the pair for your shell if the value has spaces)")
                .into());
        };
        venvoy_shell::vars::check_for_layout(name, value, windows)?;
        vars.set(name, value)?;
    }
    vars.save(&root)?;
    rewrite_scripts(&root, &vars, printer)?;
    let names: Vec<String> =
        assignments.iter().filter_map(|a| a.split_once('=')).map(|(n, _)| format!("`{n}`")).collect();
    printer.message(format_args!(
        "Set {} in `{}`: it applies from the next activation",
        names.join(", "),
        root.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn unset(spec: Option<&str>, names: &[String], settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let root = venv_root(spec, settings)?;
    let mut vars = EnvVars::load(&root)?;
    let mut missing = Vec::new();
    for name in names {
        if !vars.unset(name) {
            missing.push(format!("`{name}`"));
        }
    }
    if missing.len() == names.len() {
        return Err(UserError::new(format!(
            "the env `{}` sets no variable {}",
            root.display(),
            missing.join(", ")
        ))
        .hint(format!("`venvoy env list -e {}` shows what it sets", root.display()))
        .not_found()
        .into());
    }
    vars.save(&root)?;
    rewrite_scripts(&root, &vars, printer)?;
    for name in &missing {
        printer.warn(format_args!("the env did not set {name}"));
    }
    printer.message(format_args!("Removed from `{}`: it applies from the next activation", root.display()));
    Ok(ExitCode::SUCCESS)
}

fn list(spec: Option<&str>, json: bool, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let root = venv_root(spec, settings)?;
    let vars = EnvVars::load(&root)?;
    if json {
        #[derive(Serialize)]
        struct Listing<'a> {
            env: &'a Path,
            variables: BTreeMap<&'a str, &'a str>,
        }
        printer.json(&Listing { env: &root, variables: vars.iter().collect() })?;
        return Ok(ExitCode::SUCCESS);
    }
    for (name, value) in vars.iter() {
        printer.data(format_args!("{name}={}", quote::posix(value)));
    }
    Ok(ExitCode::SUCCESS)
}

/// Write venvoy's activation scripts into the env again, carrying `vars`.
/// An env whose scripts another tool wrote gets venvoy's, and the user is told.
fn rewrite_scripts(root: &Path, vars: &EnvVars, printer: &Printer) -> Result<()> {
    let bin = scripts_dir(root);
    let foreign = !is_venvoy_script(&bin.join("activate"));
    let cfg = PyvenvCfg::read(root).unwrap_or_default();
    let prompt = venvoy_relocate::activation::prompt(&cfg, root);
    let bin_name = bin.file_name().map_or_else(|| "bin".into(), |n| n.to_string_lossy().into_owned());
    let config = ActivationConfig {
        env_dir: root,
        bin_dir_name: &bin_name,
        prompt: &prompt,
        relocatable: venvoy_relocate::activation::is_relocatable(&cfg),
        vars,
    };
    venvoy_shell::write_activation_scripts(&config)?;
    if foreign {
        printer.message(format_args!(
            "Wrote venvoy's activation scripts into `{}`: the env was made by another tool, whose scripts cannot carry the variables",
            bin.display()
        ));
    }
    Ok(())
}

/// Whether `path` is an activation script venvoy wrote.
fn is_venvoy_script(path: &Path) -> bool {
    venvoy_fs::read_capped(path, venvoy_fs::read::SMALL)
        .is_ok_and(|text| text.windows(17).any(|w| w == b"Written by venvoy"))
}
