//! `venvoy info`: what an env is, read from disk.

use std::process::ExitCode;

use venvoy_inspect::health::Health;
use venvoy_inspect::{Venv, doctor, info, size};

use crate::cli::InfoArgs;
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

pub fn run(args: InfoArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    // Like the doctor, describe a venv whose `pyvenv.cfg` is gone (as broken).
    let root = super::doctor::resolve(args.env.get(), settings)?;
    let venv = Venv::open(&root);
    let trusted = settings.trust().check(&root).is_trusted();
    let diagnosis = doctor::diagnose(&venv, &settings.discoverer(), None, trusted);
    let info = info::describe(&venv, &diagnosis, settings.search.home.as_deref());
    if args.json {
        printer.json(&info)?;
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
