//! `venvoy info`: what an env is, read from disk.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use venvoy_inspect::health::Health;
use venvoy_inspect::{Venv, doctor, info, size};

use crate::cli::InfoArgs;
use crate::json::{Base, MadeBy};
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

/// `info --json`.
#[derive(Serialize)]
struct InfoJson<'a> {
    path: &'a Path,
    prompt: &'a str,
    /// The version `pyvenv.cfg` records.
    python_version: Option<&'a str>,
    implementation: Option<String>,
    base: Base<'a>,
    include_system_site_packages: bool,
    relocatable: bool,
    creator: Option<MadeBy<'a>>,
    size_bytes: u64,
    distributions: usize,
    /// The names of the env's own variables (`venvoy env set`).
    variables: Vec<&'a str>,
    health: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl<'a> From<&'a info::EnvInfo> for InfoJson<'a> {
    fn from(i: &'a info::EnvInfo) -> Self {
        Self {
            path: &i.path,
            prompt: &i.prompt,
            python_version: i.version.as_deref(),
            implementation: crate::json::implementation(i.implementation.as_deref()),
            base: Base {
                path: i.base.path.as_deref(),
                exists: i.base.exists,
                python_version: i.base.version.as_deref(),
                version_matches: i.base.version_matches,
                not_run: i.base.not_run.as_deref(),
            },
            include_system_site_packages: i.include_system_site_packages,
            relocatable: i.relocatable,
            creator: i.creator.as_ref().map(MadeBy::from),
            size_bytes: i.size_bytes,
            distributions: i.distributions,
            variables: Vec::new(),
            health: i.health.word(),
            reason: i.reason.as_deref(),
        }
    }
}

pub fn run(args: InfoArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    // Like the doctor, describe a venv whose `pyvenv.cfg` is gone (as broken).
    let root = super::doctor::resolve(args.env.get(), settings)?;
    let venv = Venv::open(&root);
    let trusted = settings.trust().check(&root).is_trusted();
    let diagnosis = doctor::diagnose(&venv, &settings.discoverer(), None, trusted, &Default::default());
    let info = info::describe(&venv, &diagnosis, settings.search.home.as_deref());
    // The names of the env's own variables (`venvoy env set`); values stay
    // with `venvoy env list`.
    let vars = venvoy_shell::EnvVars::load(&root)?;
    let var_names: Vec<&str> = vars.names().collect();
    if args.json {
        let mut json = InfoJson::from(&info);
        json.variables = var_names;
        printer.json(&json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let base = match (&info.base.path, info.base.exists) {
        (Some(path), true) if info.base.not_run.is_some() => {
            format!("{} (not run: unknown to venvoy, and the env is not trusted)", path.display())
        }
        (Some(path), true) => {
            let version = info.base.version.as_deref().map(|v| format!(" (Python {v})")).unwrap_or_default();
            format!("{}{version}", path.display())
        }
        (Some(path), false) => format!("{} (missing)", path.display()),
        (None, _) => "unknown".to_string(),
    };
    let version = match (&info.version, info.base.version_matches) {
        (Some(v), Some(false)) => {
            format!("{v} (the base is now {})", info.base.version.as_deref().unwrap_or("?"))
        }
        (Some(v), _) => v.clone(),
        (None, _) => "unknown".into(),
    };
    let rows = [
        ("path", info.path.display().to_string()),
        ("prompt", info.prompt.clone()),
        ("python", version),
        ("implementation", info.implementation.clone().unwrap_or_else(|| "unknown".into())),
        ("base interpreter", base),
        ("system site-packages", yes_no(info.include_system_site_packages).into()),
        ("relocatable", yes_no(info.relocatable).into()),
        ("created by", info.creator.as_ref().map_or_else(|| "unknown".into(), ToString::to_string)),
        ("size", size::human(info.size_bytes)),
        ("distributions", info.distributions.to_string()),
        ("variables", if var_names.is_empty() { "none".into() } else { var_names.join(", ") }),
        (
            "health",
            match (&info.health, &info.reason) {
                (Health::Ok, _) | (_, None) => info.health.word().to_string(),
                (h, Some(reason)) => format!("{}: {reason}", h.word()),
            },
        ),
    ];
    for (key, value) in rows {
        printer.data(format_args!("{:<23}{value}", format!("{key}:")));
    }
    if info.health != Health::Ok {
        printer.warn(format_args!(
            "the env is {}: `venvoy doctor {}` says more; `--fix` repairs it",
            info.health.word(),
            info.path.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}
