//! First use: `run`, `shell` and `workon .` in a project that has no env yet
//! create it (at the project's `.venv`, or where the project's `.venv` file
//! points in the env home), install its `requirements.txt`, and go on.
//! Without a project marker nothing is created; `--no-create` and
//! `VENVOY_NO_CREATE` turn it off.

use std::path::{Path, PathBuf};

use venvoy_env::project::Project;
use venvoy_env::{EnvError, ResolvedEnv};

use super::install::Plan;
use crate::cli::{FirstUseArgs, Installer};
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

/// The env `spec` names, else the active one, else the nearest `.venv`;
/// when there is none and this is a project, the one created for it.
pub fn resolve(
    settings: &Settings,
    printer: &Printer,
    spec: Option<&str>,
    args: &FirstUseArgs,
) -> Result<ResolvedEnv> {
    let found = settings.env_context().resolve(spec);
    if spec.is_some() || settings.virtual_env.is_some() {
        return Ok(found?);
    }
    or_create(settings, printer, found, args)
}

/// `found` (the nearest `.venv`, already looked for), or on first use the env
/// created for the project.
pub fn or_create(
    settings: &Settings,
    printer: &Printer,
    found: std::result::Result<ResolvedEnv, EnvError>,
    args: &FirstUseArgs,
) -> Result<ResolvedEnv> {
    let err = match found {
        Ok(env) => return Ok(env),
        Err(err) => err,
    };
    let Some((project, _)) = candidate(settings) else { return Err(err.into()) };
    if args.no_create || settings.no_create {
        let by = if args.no_create { "`--no-create`" } else { "`VENVOY_NO_CREATE`" };
        return Err(UserError::new(format!(
            "the project `{}` has no env yet, and {by} says not to create one",
            project.root.display()
        ))
        .hint(format!(
            "create it with `venvoy create` in `{}` (or leave out {by} to create it on first use)",
            project.root.display()
        ))
        .into());
    }
    let ctx = settings.env_context();
    let _lock = lock(settings, printer, &project.root);
    // Another venvoy may have made (and filled) it while this one waited.
    if let Some(Ok(env)) = ctx.project_env(&ctx.cwd) {
        return Ok(env);
    }
    let Some((project, target)) = candidate(settings) else { return Err(err.into()) };
    let install = plan(settings, &project, args)?;
    super::create::first_use(settings, printer, &project.root, target, install.as_ref())?;
    Ok(ctx.project_env(&ctx.cwd).unwrap_or_else(|| Err(EnvError::NotFound { cwd: ctx.cwd.clone() }))?)
}

/// One first use per project at a time: two commands started together in a
/// fresh clone make the env once, and the second runs only when it is
/// filled. The lock is a file under the data dir, released when dropped;
/// without a writable data dir there is no lock (and nothing worse than a
/// second command failing on the env the first made).
fn lock(settings: &Settings, printer: &Printer, project: &Path) -> Option<std::fs::File> {
    let dir = settings.data_dir.join("first-use");
    let path = dir.join(format!("{}.lock", venvoy_env::name::for_project(project)));
    let file = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path));
    let file = match file {
        Ok(file) => file,
        Err(err) => {
            tracing::debug!("no first-use lock at `{}`: {err}", path.display());
            return None;
        }
    };
    let locked = match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => {
            printer.message(format_args!(
                "venvoy: waiting for another venvoy to finish creating the env of `{}`",
                project.display()
            ));
            file.lock()
        }
        Err(std::fs::TryLockError::Error(err)) => Err(err),
    };
    match locked {
        Ok(()) => Some(file),
        Err(err) => {
            tracing::debug!("cannot lock `{}`: {err}", path.display());
            None
        }
    }
}

/// The project around the current directory and where its env goes: its
/// `.venv` when there is no `.venv` at all (with `VENVOY_IN_HOME=1`, the
/// project's env in the env home, linked), or the env in the env home that
/// its `.venv` file names when that env is not there yet. A `.venv` that is
/// anything else (a broken env, a dangling link, a file naming some other
/// place) is left for the user: nothing is created over it.
fn candidate(settings: &Settings) -> Option<(Project, PathBuf)> {
    let cwd = &settings.search.cwd;
    let project = venvoy_env::project::find(cwd)?;
    let nearest = cwd.ancestors().map(|d| d.join(".venv")).find(|p| std::fs::symlink_metadata(p).is_ok());
    let Some(file) = nearest else {
        // `VENVOY_IN_HOME=1`: kept in the env home and linked, as `create` would.
        if settings.in_home_default {
            let target = settings.env_home.join(venvoy_env::name::for_project(&project.root));
            return std::fs::symlink_metadata(&target).is_err().then_some((project, target));
        }
        let target = project.root.join(".venv");
        return Some((project, target));
    };
    if !std::fs::symlink_metadata(&file).ok()?.is_file() {
        return None;
    }
    let target = venvoy_env::pointer::target_of(&file, settings.search.home.as_deref(), &settings.env_home)?;
    let in_home = target.parent() == Some(settings.env_home.as_path());
    (in_home && std::fs::symlink_metadata(&target).is_err()).then_some((project, target))
}

/// What the first creation installs: the files given with `--requirement`,
/// else the project's `requirements.txt`; the project itself, editable, only
/// with `--install-project`.
fn plan(settings: &Settings, project: &Project, args: &FirstUseArgs) -> Result<Option<Plan>> {
    let ctx = settings.env_context();
    let requirements: Vec<PathBuf> = if args.requirements.is_empty() {
        project.requirements().into_iter().collect()
    } else {
        args.requirements.iter().map(|f| ctx.absolute(f)).collect()
    };
    let editable = if args.install_project {
        if !project.is_installable() {
            return Err(UserError::new(format!(
                "`--install-project`: `{}` has no `pyproject.toml`, `setup.py` or `setup.cfg` to install",
                project.root.display()
            ))
            .hint("leave out `--install-project`; its `requirements.txt` is installed anyway")
            .into());
        }
        Some(project.root.as_path())
    } else {
        None
    };
    Plan::new(settings, Installer::Pip, &requirements, &[], editable, &project.root, false)
}
