//! `venvoy doctor`: check envs, and with `--fix` repair what is safe.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use venvoy_env::EnvError;
use venvoy_env::links::{self, MovedProject};
use venvoy_fs::atomic::StaleListings;
use venvoy_inspect::Venv;
use venvoy_inspect::check::{CheckId, Finding};
use venvoy_inspect::doctor::{Diagnosis, diagnose};
use venvoy_inspect::repair::{Repair, repair};

use crate::cli::DoctorArgs;
use crate::json::{Base, Check};
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

struct EnvReport {
    diagnosis: Diagnosis,
    repair: Option<Repair>,
    ok: bool,
}

/// One env in `doctor --json`.
#[derive(Serialize)]
struct EnvJson<'a> {
    path: &'a Path,
    /// The version `pyvenv.cfg` records.
    python_version: Option<&'a str>,
    base: Base<'a>,
    /// Where the env was made, when it has been moved.
    moved_from: Option<&'a Path>,
    findings: Vec<Check<'a>>,
    /// Installed distributions (PEP 503 names) that are not whole.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    incomplete_dists: &'a [String],
    /// Temporary files left by interrupted venvoy runs.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    leftovers: &'a [PathBuf],
    #[serde(skip_serializing_if = "Option::is_none")]
    repair: Option<RepairJson<'a>>,
    ok: bool,
}

/// What `--fix` did, and what it could not do.
#[derive(Serialize)]
struct RepairJson<'a> {
    done: &'a [String],
    not_fixed: &'a [String],
}

impl<'a> From<&'a EnvReport> for EnvJson<'a> {
    fn from(r: &'a EnvReport) -> Self {
        let d = &r.diagnosis;
        let version_matches = match (&d.cfg_version, &d.base_version) {
            (Some(_), Some(_)) => Some(!d.has(CheckId::BaseVersion)),
            _ => None,
        };
        Self {
            path: &d.root,
            python_version: d.cfg_version.as_deref(),
            base: Base {
                path: d.base.as_deref(),
                exists: d.base_exists,
                python_version: d.base_version.as_deref(),
                version_matches,
                not_run: d.base_not_run.as_deref(),
            },
            moved_from: d.moved_from.as_deref(),
            findings: d.findings.iter().map(Check::from).collect(),
            incomplete_dists: &d.incomplete_dists,
            leftovers: &d.leftovers,
            repair: r.repair.as_ref().map(|x| RepairJson { done: &x.done, not_fixed: &x.not_fixed }),
            ok: r.ok,
        }
    }
}

pub fn run(args: DoctorArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    // With no ENV, the current project's link is checked too: a project that
    // was moved or renamed still finds its env, and `--fix` re-links it.
    let mut moved_link: Option<MovedProject> = None;
    let roots = if args.all {
        all_envs(settings, printer)
    } else {
        match resolve(args.env.get(), settings) {
            Ok(root) => {
                if args.env.get().is_none() {
                    moved_link = project_link(settings).filter(|m| m.env == root);
                }
                vec![root]
            }
            Err(err) => match project_link(settings).filter(|_| args.env.get().is_none()) {
                Some(moved) => {
                    let root = moved.env.clone();
                    moved_link = Some(moved);
                    vec![root]
                }
                None => {
                    if args.env.get().is_none() && !args.json {
                        explain_system_python(settings, printer);
                    }
                    return Err(err);
                }
            },
        }
    };
    if roots.is_empty() {
        return Err(UserError::new("no envs to check: `venvoy scan` finds none")
            .hint("name an env, or create one with `venvoy create`")
            .into());
    }
    let discoverer = settings.discoverer();
    let shell = super::which::which_env(settings);
    let mut reports = Vec::new();
    let registry = settings.registry();
    // The trust store is read once for all the envs checked.
    let trust = settings.trust();
    let trusted = trust.load();
    // Envs side by side (the env home) share one listing of their directory.
    let mut stale = StaleListings::default();
    for root in roots {
        let venv = Venv::open(&root);
        let was = trust.check_in(&trusted, &root);
        let mut diagnosis = diagnose(&venv, &discoverer, Some(&shell), was.is_trusted(), &stale);
        let link = moved_link.as_ref().filter(|m| m.env == root);
        if let Some(moved) = link {
            diagnosis.findings.push(link_finding(moved));
        }
        let mut repaired = None;
        if args.fix && !diagnosis.ok() {
            let moved_from = diagnosis.moved_from.clone();
            let mut done = repair(&venv, &diagnosis, &discoverer, env!("CARGO_PKG_VERSION"));
            reseed(&root, &diagnosis, settings, printer, &mut done);
            // The env venvoy just repaired keeps the trust it had.
            if let Err(err) = trust.refresh(&root, &was) {
                tracing::warn!("could not record `{}` as trusted: {err}", root.display());
            }
            let mut link_left = None;
            if let Some(moved) = link {
                match links::relink(&registry, moved) {
                    Ok(()) => done.done.push(format!(
                        "re-linked the project `{}` to the env (was recorded at `{}`)",
                        moved.file.parent().unwrap_or(Path::new("/")).display(),
                        moved.old_file.parent().unwrap_or(Path::new("/")).display()
                    )),
                    Err(err) => {
                        done.not_fixed.push(format!("cannot re-link `{}`: {err}", moved.file.display()));
                        link_left = Some(link_finding(moved));
                    }
                }
            }
            // The repair may have removed leftovers: list again.
            stale = StaleListings::default();
            diagnosis = diagnose(&Venv::open(&root), &discoverer, Some(&shell), was.is_trusted(), &stale);
            diagnosis.findings.extend(link_left);
            // A moved env that is whole again: venvoy's records follow it.
            if let Some(old) = moved_from
                && diagnosis.moved_from.is_none()
            {
                match links::follow_move(&registry, settings.places(), &old, &root) {
                    Ok(files) => {
                        for file in files {
                            done.done.push(format!("updated `{}`", file.display()));
                        }
                    }
                    Err(err) => done
                        .not_fixed
                        .push(format!("cannot update venvoy's records of `{}`: {err}", old.display())),
                }
            }
            repaired = Some(done);
        }
        let ok = diagnosis.ok();
        reports.push(EnvReport { diagnosis, repair: repaired, ok });
    }
    let failed = reports.iter().any(|r| !r.ok);
    if args.json {
        printer.json(&reports.iter().map(EnvJson::from).collect::<Vec<_>>())?;
    } else {
        for report in &reports {
            print_report(report, printer);
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Install again the seed packages whose install is incomplete.
fn reseed(root: &Path, diagnosis: &Diagnosis, settings: &Settings, printer: &Printer, out: &mut Repair) {
    let seed: Vec<String> = diagnosis
        .incomplete_dists
        .iter()
        .filter(|n| venvoy_inspect::doctor::SEED_PACKAGES.contains(&n.as_str()))
        .cloned()
        .collect();
    for name in diagnosis.incomplete_dists.iter().filter(|n| !seed.contains(n)) {
        out.not_fixed.push(format!("{name} is incomplete; venvoy installs again only the packages it seeds"));
    }
    if seed.is_empty() {
        return;
    }
    match super::seed::seed_env(settings, printer, root, &seed, crate::cli::SeedLinkMode::Hardlink) {
        Ok(_) => out.done.push(format!("installed {} again", seed.join(", "))),
        Err(e) => out.not_fixed.push(format!("cannot install {} again: {e}", seed.join(", "))),
    }
}

fn print_report(report: &EnvReport, printer: &Printer) {
    let root = report.diagnosis.root.display();
    if let Some(repair) = &report.repair {
        for line in &repair.done {
            printer.data(format_args!("{root}: fixed: {line}"));
        }
        for line in &repair.not_fixed {
            printer.data(format_args!("{root}: not fixed: {line}"));
        }
    }
    if let Some(why) = &report.diagnosis.base_not_run {
        printer.data(format_args!("{root}: base interpreter not run: {why}"));
        printer.data("      hint: `venvoy allow` trusts the env (then its base may run), or `venvoy doctor --fix` re-points it to an interpreter venvoy finds");
    }
    if report.ok {
        printer.data(format_args!("{root}: ok"));
        return;
    }
    let n = report.diagnosis.findings.len();
    printer.data(format_args!("{root}: {n} problem{}", if n == 1 { "" } else { "s" }));
    for finding in &report.diagnosis.findings {
        printer.data(format_args!("  [{}] {}", finding.id.id(), finding.message));
        printer.data(format_args!("      hint: {}", finding.hint));
    }
}

/// ENV as the resolver finds it; a directory that is a venv apart from a
/// missing `pyvenv.cfg` is accepted too (that is one of the checks).
pub(super) fn resolve(spec: Option<&str>, settings: &Settings) -> Result<PathBuf> {
    let ctx = settings.env_context();
    match ctx.resolve(spec) {
        Ok(env) => Ok(env.root),
        Err(EnvError::NotAVenv { path, .. }) if Venv::looks_like_venv(&path) => Ok(path),
        Err(err) => {
            let candidate = match spec {
                Some(s) if !venvoy_env::is_path_spec(s) => settings.env_home.join(s),
                _ => return Err(err.into()),
            };
            if Venv::looks_like_venv(&candidate) { Ok(candidate) } else { Err(err.into()) }
        }
    }
}

/// Every env `venvoy scan` finds (every tool's, venvoy's registry, the home
/// directory), plus envs in the env home that lost their `pyvenv.cfg`. Only
/// the paths: no facts or disk use are read here, `diagnose` reads what it
/// needs; each path is resolved at most once to spot the same env twice.
fn all_envs(settings: &Settings, printer: &Printer) -> Vec<PathBuf> {
    let mut out = super::scan::venv_paths(settings, printer);
    if let Ok(entries) = std::fs::read_dir(&settings.env_home) {
        let listed: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        let found: HashSet<&Path> = out.iter().map(PathBuf::as_path).collect();
        let mut extra: Vec<PathBuf> =
            listed.into_iter().filter(|d| !found.contains(d.as_path()) && Venv::looks_like_venv(d)).collect();
        if !extra.is_empty() {
            let real: HashSet<PathBuf> = out.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
            extra.retain(|d| std::fs::canonicalize(d).map_or(true, |r| !real.contains(&r)));
            out.extend(extra);
        }
    }
    out.sort();
    out
}

/// The nearest `.venv` file from the current directory, when it belongs to a
/// project venvoy recorded in another place.
fn project_link(settings: &Settings) -> Option<MovedProject> {
    let cwd = &settings.search.cwd;
    let file = cwd.ancestors().map(|d| d.join(".venv")).find(|f| std::fs::symlink_metadata(f).is_ok())?;
    links::moved_project(&settings.registry(), &file, settings.places())
}

fn link_finding(moved: &MovedProject) -> Finding {
    let project = moved.file.parent().unwrap_or(Path::new("/"));
    let old = moved.old_file.parent().unwrap_or(Path::new("/"));
    let message = if moved.rewrite {
        format!(
            "the project was moved from `{}` to `{}`: the relative path in `{}` no longer leads to its env `{}`",
            old.display(),
            project.display(),
            moved.file.display(),
            moved.env.display()
        )
    } else {
        format!(
            "the project was moved from `{}` to `{}`: venvoy's records of its link to `{}` name the old place",
            old.display(),
            project.display(),
            moved.env.display()
        )
    };
    Finding::new(CheckId::ProjectMoved, message, "`venvoy doctor --fix` here re-links the project to its env")
}

/// Outside any env: say when the `pip` or `python3` that runs belongs to an
/// externally managed Python (PEP 668), where `pip install` refuses.
fn explain_system_python(settings: &Settings, printer: &Printer) {
    let env = super::which::which_env(settings);
    let mut seen = Vec::new();
    for name in ["pip", "pip3", "python3", "python"] {
        let Some(found) = venvoy_inspect::which::first(name, &env) else { continue };
        let Some(marked) = super::which::externally_managed_command(name, &found, &[], settings) else {
            continue;
        };
        if seen.contains(&marked.python) {
            continue;
        }
        super::which::explain_pep668(name, &found.path, &marked, printer);
        seen.push(marked.python);
    }
}
