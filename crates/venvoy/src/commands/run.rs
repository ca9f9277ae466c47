//! `venvoy run`: run a program inside an env, without activation, by
//! replacing venvoy with it (so signals, exit status and the terminal are the program's own).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::cli::RunArgs;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

pub fn run(args: RunArgs, settings: &Settings, printer: &Printer) -> Result<ExitCode> {
    // `--env-file`s first: a bad line stops here, before an env is made.
    let file_vars = crate::env_file::read_all(&args.env_files, &settings.search.cwd)?;
    let env = super::first_use::resolve(settings, printer, args.env.as_deref(), &args.first_use)?;
    let bin = venvoy_fs::scripts_dir(&env.root).unwrap_or_else(|| env.root.join("bin"));
    let path_var = settings.path_with(&bin)?;
    let paths: Vec<PathBuf> = std::env::split_paths(&path_var).collect();

    let (program, rest) = args.command.split_first().expect("clap requires a command");
    let resolved = find_program(program, &paths, &settings.search.cwd).ok_or_else(|| {
        UserError::new(format!("`{}` was not found in the env `{}`", program.to_string_lossy(), env.root.display())).hint(format!(
            "looked in `{}` and the {} other directories on PATH; install it into the env (e.g. `venvoy run -e {} python -m pip install ...`) or check the name",
            bin.display(),
            paths.len() - 1,
            env.root.display()
        ))
    })?;
    tracing::info!("running `{}` in `{}` ({})", resolved.display(), env.root.display(), env.rule);

    // The env's own variables (`venvoy env set`), as activation sets them.
    let vars = venvoy_shell::EnvVars::load(&env.root)?;

    let mut cmd = Command::new(&resolved);
    cmd.arg0(program)
        .args(rest)
        .envs(vars.iter())
        .envs(file_vars)
        .env("PATH", &path_var)
        .env("VIRTUAL_ENV", &env.root)
        .env_remove("PYTHONHOME");
    // The child takes over stdout: nothing of ours may be left in the buffer.
    printer.flush();
    exec(cmd, &resolved)
}

/// Look a program up as `execvp` would: a name with `/` as is, else each PATH directory.
fn find_program(program: &OsStr, paths: &[PathBuf], cwd: &Path) -> Option<PathBuf> {
    if Path::new(program).components().count() > 1 || program.to_string_lossy().contains('/') {
        let p = cwd.join(program);
        return is_executable(&p).then_some(p);
    }
    paths.iter().map(|d| d.join(program)).find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

trait Arg0 {
    fn arg0(&mut self, name: &OsStr) -> &mut Self;
}

#[cfg(unix)]
impl Arg0 for Command {
    fn arg0(&mut self, name: &OsStr) -> &mut Self {
        std::os::unix::process::CommandExt::arg0(self, name)
    }
}

#[cfg(not(unix))]
impl Arg0 for Command {
    fn arg0(&mut self, _name: &OsStr) -> &mut Self {
        self
    }
}

#[cfg(unix)]
fn exec(mut cmd: Command, program: &Path) -> Result<ExitCode> {
    use std::os::unix::process::CommandExt;
    let err = cmd.exec();
    Err(UserError::new(format!("could not run `{}`: {err}", program.display())).into())
}

#[cfg(not(unix))]
fn exec(mut cmd: Command, program: &Path) -> Result<ExitCode> {
    let status =
        cmd.status().map_err(|e| UserError::new(format!("could not run `{}`: {e}", program.display())))?;
    Ok(ExitCode::from(status.code().unwrap_or(1) as u8))
}
