//! `venvoy create`: resolve the target and the interpreter, make the venv,
//! fill it (`-r`, `-i`), say how to activate it; and the same, quietly, for
//! the first use of a project that has no env.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;
use venvoy_python::{Interpreter, PythonRequest};
use venvoy_venv::{Action, CreateOptions, Existing, LinkMode};

use super::install::{Failed, Plan};
use crate::cli::CreateArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

pub fn run(args: CreateArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    let cwd = &settings.search.cwd;
    // `VENVOY_IN_HOME=1` makes `--in-home` the default when no place is named.
    let in_home = args.in_home
        || (settings.in_home_default && !args.in_project && args.name.is_none() && args.path.is_none());
    if in_home && !args.in_home {
        tracing::info!(
            "keeping the env in the env home: `VENVOY_IN_HOME` is set (`--in-project` overrides it)"
        );
    }
    let target = match (&args.name, &args.path) {
        (Some(name), _) => settings.env_home.join(valid_name(name)?),
        (None, _) if in_home => settings.env_home.join(venvoy_env::name::for_project(cwd)),
        (None, Some(path)) => settings.env_context().absolute(path),
        (None, None) => cwd.join(".venv"),
    };
    if in_home {
        check_link_target(cwd, &target, settings)?;
    }
    let prompt = match args.prompt.as_deref() {
        Some(".") => {
            Some(cwd.file_name().map_or_else(|| "venv".to_string(), |n| n.to_string_lossy().into_owned()))
        }
        Some(p) => Some(p.to_string()),
        None => None,
    };
    // What to install is checked before anything is made.
    let install =
        Plan::new(settings, args.installer, &args.requirements, &args.install, None, cwd, args.without_pip)?;

    let made = make(&args, target, prompt, settings, printer)?;
    let created = &made.created;
    let interpreter = &made.interpreter;
    if !args.json {
        let verb = match created.action {
            Action::Created => "Created",
            Action::Cleared => "Recreated",
            Action::Upgraded => "Upgraded",
            Action::Refreshed => "Refreshed",
        };
        printer.message(format_args!(
            "{verb} venv `{}` with {} (`{}`)",
            display_relative(&created.root, cwd).display(),
            interpreter.label(),
            interpreter.path.display()
        ));
        if let Some(plan) = &made.seed_plan {
            plan.report(printer);
        }
    }
    if let Some(plan) = &install
        && let Err(failed) = plan.run(settings, printer, &created.root, &created.python)?
    {
        return install_failed(
            &args,
            settings,
            printer,
            &made,
            plan,
            &failed,
            in_home.then_some(cwd.as_path()),
        );
    }
    let link_from = in_home.then_some(cwd.as_path());
    record(settings, printer, &created.root, link_from)?;

    let shell = settings.user_shell();
    let bin = created.root.join(&created.layout.scripts);
    let activate = shell.activate_command(&display_relative(&bin, cwd));
    if args.json {
        #[derive(Serialize)]
        struct Json<'a> {
            action: &'static str,
            path: &'a Path,
            python: &'a Path,
            prompt: &'a str,
            interpreter: &'a Path,
            implementation: &'static str,
            python_version: String,
            activate: &'a str,
            seeded: Vec<crate::json::Installed>,
            #[serde(skip_serializing_if = "Option::is_none")]
            installed_with: Option<&'static str>,
        }
        printer.json(&Json {
            action: created.action.word(),
            path: &created.root,
            python: &created.python,
            prompt: &created.prompt,
            interpreter: &interpreter.path,
            implementation: interpreter.implementation().key(),
            python_version: interpreter.version_string(),
            activate: &activate,
            seeded: made.seed_plan.as_ref().map(|p| p.installed()).unwrap_or_default(),
            installed_with: install.as_ref().map(Plan::name),
        })?;
    } else {
        if in_home {
            printer.message(format_args!(
                "Linked `{}` to it with `{}`",
                cwd.display(),
                cwd.join(".venv").display()
            ));
        }
        printer.message(format_args!("Activate with: {activate}"));
    }
    Ok(ExitCode::SUCCESS)
}

/// A venv just made, with what made it.
struct Made {
    created: venvoy_venv::Created,
    interpreter: Interpreter,
    seed_plan: Option<Arc<super::seed::SeedPlan>>,
}

/// Choose the interpreter and the seed wheels, and make the venv at `target`.
fn make(
    args: &CreateArgs,
    target: PathBuf,
    prompt: Option<String>,
    settings: &Settings,
    printer: &Printer,
) -> Result<Made> {
    let request = PythonRequest::parse(args.python.as_deref().unwrap_or(""))?;
    let selection = settings.discoverer().find(&request)?;
    crate::commands::python::warn_skipped(printer, &selection);
    let interpreter = selection.interpreter;
    tracing::info!(
        "using {} at `{}` ({})",
        interpreter.label(),
        interpreter.path.display(),
        selection.reason
    );

    let existing = if args.clear {
        Existing::Clear { force: args.force }
    } else if args.upgrade {
        Existing::Upgrade
    } else if args.allow_existing {
        Existing::AllowExisting
    } else {
        Existing::Refuse
    };
    let link_mode = if args.copies { LinkMode::Copies } else { LinkMode::Symlinks };
    // Seed wheels are chosen (and downloaded) before the target is touched.
    let seed_plan = if args.without_pip {
        None
    } else {
        let packages = super::seed::packages(&args.seed)?;
        Some(Arc::new(super::seed::SeedPlan::choose(
            settings,
            printer,
            &interpreter,
            &packages,
            args.link_mode,
            args.upgrade_deps,
        )?))
    };
    let opts = CreateOptions {
        command: command_line(args, &interpreter.path, &prompt, &target),
        target,
        prompt,
        system_site_packages: args.system_site_packages,
        link_mode,
        existing,
        scm_ignore: !args.without_scm_ignore_files,
        relocatable: args.relocatable,
        venvoy_version: env!("CARGO_PKG_VERSION").to_string(),
        seed: seed_plan.as_ref().map(|plan| {
            let hook = plan.hook();
            if args.relocatable { super::relocatable::after_seed(hook) } else { hook }
        }),
    };
    let created = venvoy_venv::create(&interpreter, &opts)?;
    for note in &created.notes {
        printer.warn(note);
    }
    Ok(Made { created, interpreter, seed_plan })
}

/// Record a new env as venvoy's: trusted, in the registry, and with
/// `link_from` (`--in-home`) the project linked to it.
fn record(settings: &Settings, printer: &Printer, root: &Path, link_from: Option<&Path>) -> Result<()> {
    if let Err(err) = settings.trust().record_created(root) {
        printer.warn(format_args!("could not record `{}` as trusted: {err}", root.display()));
    }
    if let Some(project) = link_from {
        super::use_env::link(settings, printer, project, root)?;
    } else if root.parent() != Some(settings.env_home.as_path()) {
        // A project env: remember it for `venvoy list`. Not being able to is not fatal.
        let project = (root.file_name() == Some(".venv".as_ref())).then(|| root.parent()).flatten();
        if let Err(err) = settings.registry().add(root, project) {
            printer.warn(format_args!("could not record `{}` in the registry: {err}", root.display()));
        }
    }
    Ok(())
}

/// The installer failed: remove the venv this command made (through the
/// deletion gate) unless `--keep-on-failure`, say which, and exit with the
/// installer's status. A venv that existed before is always kept.
fn install_failed(
    args: &CreateArgs,
    settings: &Settings,
    printer: &Printer,
    made: &Made,
    plan: &Plan,
    failed: &Failed,
    link_from: Option<&Path>,
) -> Result<ExitCode> {
    let root = &made.created.root;
    let shown = display_relative(root, &settings.search.cwd);
    let shown = shown.display();
    let new = made.created.action == Action::Created;
    let err = if new && !args.keep_on_failure {
        match venvoy_fs::gate::delete_env(root, false) {
            Ok(()) => UserError::new(format!(
                "installing into `{shown}` failed: {}; the new venv was removed",
                failed.what
            ))
            .hint(format!(
                "fix what {} reported above and run the command again; `--keep-on-failure` keeps the venv to look into",
                plan.name()
            )),
            Err(refusal) => {
                record(settings, printer, root, link_from)?;
                UserError::new(format!(
                    "installing into `{shown}` failed: {}; the new venv was kept, as it could not be removed",
                    failed.what
                ))
                .because(refusal)
            }
        }
    } else {
        record(settings, printer, root, link_from)?;
        let why = if new {
            "the new venv was kept (`--keep-on-failure`)"
        } else {
            "the venv, which existed before, was kept"
        };
        UserError::new(format!("installing into `{shown}` failed: {}; {why}", failed.what)).hint(format!(
            "fix what {} reported above, then install again with `{}`, or remove the venv with `venvoy remove {}`",
            plan.name(),
            plan.again(root),
            venvoy_shell::quote::posix(&root.to_string_lossy())
        ))
    };
    let (_, text) = crate::report::render(&err.into(), false);
    printer.error(&text);
    Ok(ExitCode::from(failed.code))
}

/// The first use of a project that has no env: make one at `target` with
/// the default Python and seed pip, say so in one line, install `install`
/// into it, and record it as venvoy's. On an install failure the new env is
/// removed, so the next use tries again.
pub fn first_use(
    settings: &Settings,
    printer: &Printer,
    project: &Path,
    target: PathBuf,
    install: Option<&Plan>,
) -> Result<PathBuf> {
    let args = CreateArgs::default();
    let made = make(&args, target, None, settings, printer)?;
    let root = made.created.root.clone();
    let what = install.map(|plan| format!(", installing into it with {}", plan.name())).unwrap_or_default();
    printer.message(format_args!(
        "venvoy: created `{}` for `{}` with {} (first use{what}; `--no-create` or `VENVOY_NO_CREATE=1` turns this off)",
        root.display(),
        project.display(),
        made.interpreter.label(),
    ));
    if let Some(plan) = install
        && let Err(failed) = plan.run(settings, printer, &root, &made.created.python)?
    {
        let removed = venvoy_fs::gate::delete_env(&root, false);
        let fate =
            if removed.is_ok() { "the new env was removed" } else { "the new env could not be removed" };
        let err = UserError::new(format!(
            "installing into `{}` failed: {}; {fate}",
            root.display(),
            failed.what
        ))
        .hint(format!(
            "fix what {} reported above and run the command again, or make the env yourself with `venvoy create`",
            plan.name()
        ));
        return Err(match removed {
            Ok(()) => err.into(),
            Err(refusal) => err.because(refusal).into(),
        });
    }
    // An env made in the home for a project with no `.venv` yet gets linked.
    let link_from = std::fs::symlink_metadata(project.join(".venv")).is_err().then_some(project);
    record(settings, printer, &root, link_from)?;
    Ok(root)
}

/// A name in the env home, by the one name rule every command uses.
fn valid_name(name: &str) -> Result<&str> {
    if !venvoy_env::name::is_valid(name) {
        return Err(venvoy_env::EnvError::BadName { name: name.to_string() }.into());
    }
    Ok(name)
}

/// `--in-home` writes `PROJECT/.venv`: refuse up front when something else is
/// there (an env directory, or a `.venv` file leading to another env).
fn check_link_target(project: &Path, target: &Path, settings: &Settings) -> Result<()> {
    let file = project.join(".venv");
    let Ok(meta) = std::fs::symlink_metadata(&file) else { return Ok(()) };
    if meta.is_dir() || file.is_dir() {
        return Err(UserError::new(format!("`{}` is a directory (an env of its own)", file.display()))
            .hint("use it as it is (`--in-project`), or remove it with `venvoy remove ./.venv` before `--in-home`")
            .into());
    }
    let places = settings.places();
    if !places.designates(&file, target) {
        return Err(UserError::new(format!(
            "`{}` already links this project to another env",
            file.display()
        ))
        .hint("`venvoy use ENV` changes the link; delete the file to let `--in-home` write it")
        .into());
    }
    Ok(())
}

/// `path` relative to `cwd` when it is below it, for friendlier messages.
fn display_relative(path: &Path, cwd: &Path) -> PathBuf {
    match path.strip_prefix(cwd) {
        // The current directory itself: `.`, never an empty name.
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// The command that makes this venv again, for `pyvenv.cfg`.
fn command_line(args: &CreateArgs, python: &Path, prompt: &Option<String>, target: &Path) -> String {
    let q = |s: &str| venvoy_shell::quote::posix(s);
    let mut parts = vec![
        "venvoy".to_string(),
        "create".to_string(),
        "--python".to_string(),
        q(&python.to_string_lossy()),
    ];
    if let Some(p) = prompt {
        parts.extend(["--prompt".to_string(), q(p)]);
    }
    for (on, flag) in [
        (args.system_site_packages, "--system-site-packages"),
        (args.copies, "--copies"),
        (args.without_pip, "--without-pip"),
        (args.without_scm_ignore_files, "--without-scm-ignore-files"),
        (args.relocatable, "--relocatable"),
        (args.upgrade_deps, "--upgrade-deps"),
    ] {
        if on {
            parts.push(flag.to_string());
        }
    }
    if !args.seed.is_empty() && !args.without_pip {
        parts.extend(["--seed".to_string(), q(&args.seed.join(","))]);
    }
    parts.push(q(&target.to_string_lossy()));
    parts.join(" ")
}
