//! Filling a new venv: `create -r FILE -i PKG` and the first use of a
//! project, with the venv's own pip or `uv pip`. Everything is checked before
//! the venv is made; the installer's progress and errors go to stderr as they
//! come (so stdout stays the command's own), and its exit status is kept.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cli::Installer;
use crate::printer::Printer;
use crate::report::{Result, UserError};
use crate::settings::Settings;

/// What to install, checked and ready to run once the venv exists.
#[derive(Debug, Clone)]
pub struct Plan {
    installer: Installer,
    /// `uv`, found on PATH, for [`Installer::Uv`].
    uv: Option<PathBuf>,
    requirements: Vec<PathBuf>,
    packages: Vec<String>,
    /// A project to install editable (`pip install -e DIR`).
    editable: Option<PathBuf>,
    /// Where the installer runs: relative lines in requirements files
    /// (`./pkg`, `-e .`) are read from here, as pip reads them.
    cwd: PathBuf,
}

/// How an install ended when it did not succeed.
#[derive(Debug)]
pub struct Failed {
    /// The installer's exit status (2 when it was killed by a signal).
    pub code: u8,
    /// What happened, for the report (`pip exited with 1`).
    pub what: String,
}

impl Plan {
    /// Check the request: each FILE a readable regular file, each PKG a
    /// requirement rather than an option, pip in the venv (unless
    /// `--without-pip`), uv on PATH for `--installer uv`. `None` when there
    /// is nothing to install.
    pub fn new(
        settings: &Settings,
        installer: Installer,
        requirements: &[PathBuf],
        packages: &[String],
        editable: Option<&Path>,
        cwd: &Path,
        without_pip: bool,
    ) -> Result<Option<Self>> {
        if requirements.is_empty() && packages.is_empty() && editable.is_none() {
            return Ok(None);
        }
        let ctx = settings.env_context();
        let mut files = Vec::with_capacity(requirements.len());
        for file in requirements {
            let path = venvoy_fs::path::absolute(file, cwd, ctx.home.as_deref());
            if !path.exists() {
                return Err(UserError::new(format!(
                    "the requirements file `{}` does not exist",
                    path.display()
                ))
                .hint("check the path given to `-r`; nothing was created")
                .into());
            }
            if !venvoy_fs::read::is_regular_file(&path) {
                return Err(UserError::new(format!("the requirements file `{}` is not a regular file", path.display()))
                    .hint("`-r` takes a requirements file (a FIFO or a directory cannot be read safely); nothing was created")
                    .into());
            }
            files.push(path);
        }
        for pkg in packages {
            let trimmed = pkg.trim();
            if trimmed.is_empty() {
                return Err(UserError::new("`-i` was given an empty package")
                    .hint("name a package, such as `-i requests`; nothing was created")
                    .into());
            }
            if trimmed.starts_with('-') {
                return Err(UserError::new(format!("`{trimmed}` is an installer option, not a package"))
                    .hint("`-i` takes requirements only; put options such as `--index-url` or `-e` in a requirements file and pass it with `-r`")
                    .into());
            }
        }
        let uv = match installer {
            Installer::Pip if without_pip => {
                return Err(UserError::new("`--without-pip` leaves no pip to install `-r`/`-i` with")
                    .hint("drop `--without-pip`, or install with `--installer uv`")
                    .into());
            }
            Installer::Pip => None,
            Installer::Uv => Some(find_uv(settings)?),
        };
        Ok(Some(Self {
            installer,
            uv,
            requirements: files,
            packages: packages.iter().map(|p| p.trim().to_string()).collect(),
            editable: editable.map(Path::to_path_buf),
            cwd: cwd.to_path_buf(),
        }))
    }

    /// The installer's name, for messages.
    pub fn name(&self) -> &'static str {
        match self.installer {
            Installer::Pip => "pip",
            Installer::Uv => "uv",
        }
    }

    /// Run the installer for the venv at `root` whose interpreter is `python`.
    pub fn run(
        &self,
        settings: &Settings,
        printer: &Printer,
        root: &Path,
        python: &Path,
    ) -> Result<Result<(), Failed>> {
        let mut cmd = match (&self.installer, &self.uv) {
            (Installer::Uv, Some(uv)) => {
                let mut cmd = Command::new(uv);
                cmd.args(["pip", "install", "--python"]).arg(python);
                cmd
            }
            _ => {
                let mut cmd = Command::new(python);
                cmd.args(["-m", "pip", "install"]);
                // No look for a newer pip: it reaches the index and prints a notice.
                cmd.env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
                cmd
            }
        };
        if printer.is_quiet() {
            cmd.arg("--quiet");
        }
        for file in &self.requirements {
            cmd.arg("-r").arg(file);
        }
        cmd.args(&self.packages);
        if let Some(project) = &self.editable {
            cmd.arg("-e").arg(project);
        }
        let bin = venvoy_fs::scripts_dir(root).unwrap_or_else(|| root.join("bin"));
        cmd.current_dir(&self.cwd)
            .env("PATH", settings.path_with(&bin)?)
            .env("VIRTUAL_ENV", root)
            .env_remove("PYTHONHOME")
            .stdin(Stdio::null())
            // The installer's output is progress: stderr, as venvoy's own messages.
            .stdout(Stdio::from(std::io::stderr()));
        tracing::info!("installing with {cmd:?}");
        printer.flush();
        let program = PathBuf::from(cmd.get_program());
        let status = cmd
            .status()
            .map_err(|e| UserError::new(format!("could not run `{}`: {e}", program.display())))?;
        if status.success() {
            return Ok(Ok(()));
        }
        Ok(Err(match status.code() {
            Some(code) => Failed {
                code: u8::try_from(code).unwrap_or(2).max(1),
                what: format!("{} exited with {code}", self.name()),
            },
            None => Failed { code: 2, what: format!("{} was killed ({status})", self.name()) },
        }))
    }

    /// The command that installs the same things again into `root`, for hints.
    pub fn again(&self, root: &Path) -> String {
        let q = |s: &std::ffi::OsStr| venvoy_shell::quote::posix(&s.to_string_lossy());
        let mut parts: Vec<String> = match self.installer {
            Installer::Pip => vec![
                "venvoy".into(),
                "run".into(),
                "-e".into(),
                q(root.as_os_str()),
                "python".into(),
                "-m".into(),
                "pip".into(),
                "install".into(),
            ],
            Installer::Uv => {
                vec!["uv".into(), "pip".into(), "install".into(), "--python".into(), q(root.as_os_str())]
            }
        };
        for file in &self.requirements {
            parts.push("-r".into());
            parts.push(q(file.as_os_str()));
        }
        parts.extend(self.packages.iter().map(|p| q(OsString::from(p).as_os_str())));
        if let Some(project) = &self.editable {
            parts.push("-e".into());
            parts.push(q(project.as_os_str()));
        }
        parts.join(" ")
    }
}

/// `uv` on PATH, for `--installer uv`.
fn find_uv(settings: &Settings) -> Result<PathBuf> {
    let found = settings.search.path.as_deref().and_then(|path| {
        std::env::split_paths(path).map(|dir| dir.join("uv")).find(|p| venvoy_fs::read::is_regular_file(p))
    });
    found.ok_or_else(|| {
        UserError::new("`--installer uv` needs uv, and there is no `uv` on PATH")
            .hint("install uv (https://docs.astral.sh/uv/) or leave out `--installer uv` to use the venv's pip; nothing was created")
            .into()
    })
}
