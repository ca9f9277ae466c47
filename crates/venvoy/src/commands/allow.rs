//! `venvoy allow [DIR|ENV]`, `venvoy deny [DIR|ENV]` and `venvoy allow --list`:
//! which envs may activate on `cd` (the trust store in `venvoy_env::trust`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_env::trust::{Identity, Source};
use venvoy_env::{EnvError, ResolvedEnv, Rule};

use crate::cli::{AllowArgs, DenyArgs};
use crate::printer::Printer;
use crate::report::Result;
use crate::settings::Settings;

/// The env DIR|ENV means: a directory that is not itself a venv means its
/// nearest `.venv`; anything else is resolved as ENV.
fn target(settings: &Settings, spec: Option<&str>) -> Result<ResolvedEnv> {
    let ctx = settings.env_context();
    let dir = match spec {
        None => ctx.cwd.clone(),
        Some(spec) => {
            let path = venvoy_fs::path::absolute(Path::new(spec), &ctx.cwd, settings.search.home.as_deref());
            if venvoy_fs::is_venv(&path) || !path.is_dir() {
                return Ok(ctx.resolve(Some(spec))?);
            }
            path
        }
    };
    Ok(ctx.project_env(&dir).unwrap_or_else(|| Err(EnvError::NotFound { cwd: dir.clone() }))?)
}

/// How the env was reached, for messages: "the `.venv` in `/src/x`".
fn via(env: &ResolvedEnv) -> String {
    match &env.rule {
        Rule::DotVenv { project } => format!(" (the `.venv` in `{}`)", project.display()),
        Rule::Pointer { file } => format!(" (named by `{}`)", file.display()),
        _ => String::new(),
    }
}

pub fn allow(args: AllowArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    if args.list {
        return list(settings, printer, args.json);
    }
    let env = target(settings, args.target.as_deref())?;
    let store = settings.trust();
    store.allow(&env.root)?;
    printer.message(format_args!("Allowed `{}`{}: it activates on `cd`", env.root.display(), via(&env)));
    if let Some(uid) = store.foreign_owner(&env.root) {
        printer.message(format_args!(
            "warning: `{}` belongs to another user (uid {uid}), who can still change what it runs",
            env.root.display()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn deny(args: DenyArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let env = target(settings, args.target.as_deref())?;
    settings.trust().deny(&env.root)?;
    printer.message(format_args!(
        "Denied `{}`{}: it no longer activates on `cd` (`venvoy allow` undoes this)",
        env.root.display(),
        via(&env)
    ));
    Ok(ExitCode::SUCCESS)
}

/// One line of `allow --list`.
#[derive(Debug, Serialize)]
struct Row {
    path: PathBuf,
    /// `allowed`, `created` (venvoy made or linked it) or `denied`.
    source: Source,
    /// `ok` (the same env), `replaced` (another env at that path) or `missing`.
    status: &'static str,
}

fn list(settings: &Settings, printer: &Printer, json: bool) -> Result<ExitCode> {
    let store = settings.trust();
    let mut rows: Vec<Row> = store
        .load()
        .into_iter()
        .map(|e| {
            let status = match Identity::of(&e.path) {
                _ if !e.path.exists() => "missing",
                _ if e.source == Source::Denied => "ok",
                Ok(now) if Some(&now) == e.identity.as_ref() => "ok",
                _ => "replaced",
            };
            Row { path: e.path, source: e.source, status }
        })
        .collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    if json {
        printer.json(&rows)?;
    } else {
        for row in &rows {
            let source = match row.source {
                Source::Allowed => "allowed",
                Source::Created => "created",
                Source::Denied => "denied",
            };
            printer.data(format_args!("{source:<8} {:<9} {}", row.status, row.path.display()));
        }
        if rows.is_empty() {
            printer.message("No env has been allowed or denied yet");
        }
    }
    Ok(ExitCode::SUCCESS)
}
