//! The command line: clap's derive structs, and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// One fast binary for Python virtual environments.
///
/// venvoy finds every Python on the machine, creates standard PEP 405 venvs
/// from any of them, and explains and repairs them.
#[derive(Debug, Parser)]
#[command(name = "venvoy", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Say more about what happens (-v: steps, -vv: details, -vvv: everything)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print only data and errors: hides progress, messages and warnings
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// When to use colors on stderr (`NO_COLOR` is honoured)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Do not read or write the interpreter query cache
    #[arg(long, global = true)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find and describe the Python interpreters on this machine
    #[command(subcommand)]
    Python(PythonCommand),

    /// Create a virtual environment
    Create(CreateArgs),

    /// Manage venvoy's cache of interpreter facts and seed wheels
    #[command(subcommand)]
    Cache(CacheCommand),

    /// Install pip (or setuptools, wheel) into an existing venv, offline when possible
    ///
    /// `-e ENV` is a path or a name in the env home; without it, the active venv
    /// (`VIRTUAL_ENV`), else the nearest `.venv`. PKG is `pip` (the default),
    /// `setuptools` or `wheel`. Wheels come from venvoy's cache, else the
    /// interpreter's own ensurepip wheels, else the index (`PIP_INDEX_URL`).
    Seed(SeedArgs),

    /// List the envs venvoy knows: the env home, and project envs it created or linked
    List(ListArgs),

    /// Delete envs (only ever venvs)
    Remove(RemoveArgs),

    /// Find every venv on the machine, whichever tool made it
    ///
    /// One line per env: its path, the tool that manages it (venvoy,
    /// virtualenvwrapper, pipenv, poetry, hatch, pdm, pipx, uv tool,
    /// pyenv-virtualenv, tox, nox, a project's `.venv`) and the one that
    /// wrote it, its Python, its health, its disk use (and what removing it
    /// would free: files hardlinked with another env or a cache stay), when it
    /// was last used, and the project it serves. Conda envs are listed as such.
    ///
    /// Without DIR: every tool's env directory (`WORKON_HOME`,
    /// `POETRY_VIRTUALENVS_PATH`, `PIPX_HOME`, `UV_TOOL_DIR`, `HATCH_DATA_DIR`,
    /// `PYENV_ROOT`, `CONDA_ENVS_PATH` and their defaults), venvoy's registry,
    /// and your home directory. The walk never follows symlinks, never enters
    /// an env it found or `.git`, `node_modules` and the like, and stays on one
    /// file system unless `--cross-file-systems`. Nothing is run: every fact
    /// is read from disk.
    ///
    /// Last used: the newest of when `pyvenv.cfg` was last read (Python reads
    /// it at every start; with the usual `relatime` mount option this time
    /// moves at most once a day, with `noatime` never) and when anything was
    /// last installed into the env.
    Scan(ScanArgs),

    /// Remove orphaned envs: project gone, Python gone for good, or (if asked) unused
    ///
    /// Shows each orphan with why and how much removing it frees; deletes
    /// only with `--yes` (or after asking, on a terminal). An env is an
    /// orphan when the project it served is gone, or its base Python is gone
    /// and no installed Python of the same version could repair it (`venvoy
    /// doctor --fix` can, when there is one), or with `--older-than` when it
    /// has not been used for that long. The active env and envs a running
    /// process uses are kept. Each deletion goes through the same check as
    /// `venvoy remove` (only venvs; never one that holds a project) and is
    /// atomic. Other tools' records are left alone: pipenv and poetry create
    /// a project's env again when next used there.
    Gc(GcArgs),

    /// Copy an env to a new place, fixing every path in it
    ///
    /// The copy has the same interpreter and packages and is independent of
    /// the original. Unchanged files are shared copy-on-write (reflink) where
    /// the file system can, else hardlinked (safe: pip replaces files, never
    /// edits them), else copied; `--copy` always copies. Everything naming
    /// the old path is written fresh: `pyvenv.cfg`, activation scripts,
    /// console scripts' shebangs, `.pth` and `.egg-link` files, `direct_url.json`,
    /// `RECORD`. `__pycache__` is not copied (Python rebuilds it). No Python runs.
    ///
    /// The copy is built beside DEST and appears there in one rename: an
    /// interrupted clone leaves nothing at DEST.
    #[command(override_usage = "venvoy clone [OPTIONS] ENV DEST\n       venvoy clone [OPTIONS] -e ENV DEST")]
    Clone(CloneArgs),

    /// Move an env to a new place, fixing every path in it
    ///
    /// The env is rebuilt at DEST (hardlinks on the same file system, so no
    /// data is copied; a copy across file systems), appears there in one
    /// rename, and only then is the old directory deleted. Interrupted, the
    /// env is complete at its old place, or at DEST. venvoy's registry and
    /// the `.venv` pointer files venvoy wrote for the env follow it.
    #[command(override_usage = "venvoy move [OPTIONS] ENV DEST\n       venvoy move [OPTIONS] -e ENV DEST")]
    Move(MoveArgs),

    /// Make an env relocatable: it keeps working after being moved or copied
    ///
    /// Console scripts run the interpreter next to their own real location,
    /// activation scripts find the env from where they are, and `pyvenv.cfg`
    /// gets `relocatable = true`. The env stays tied to the base interpreter's
    /// path (`bin/python` links to it; `home` names it): it works anywhere
    /// on this machine, not on one without that interpreter. `venvoy create
    /// --relocatable` makes such envs from the start.
    Relocatable(RelocatableArgs),

    /// Run a command inside an env, without activating it
    ///
    /// The command sees `VIRTUAL_ENV` set and the env's `bin` first on PATH;
    /// `PYTHONHOME` is removed. venvoy replaces itself with the command, so
    /// signals, exit codes and the terminal behave exactly as if it ran directly.
    ///
    /// With no `-e`, it uses the nearest `.venv` whether or not it is allowed
    /// (see `venvoy allow`): you asked for it by running this command.
    ///
    /// First use: in a project (a directory with `pyproject.toml`, `setup.py`,
    /// `setup.cfg` or `requirements.txt`, here or above) that has no env yet,
    /// the env is created at the project's `.venv` (or where its `.venv` file
    /// points in the env home) with the default Python, and its
    /// `requirements.txt` installed; see `--no-create` and `--install-project`.
    Run(RunArgs),

    /// Start a subshell with an env active; `exit` returns to where you were
    ///
    /// With no ENV, it uses the nearest `.venv` whether or not it is allowed
    /// (see `venvoy allow`): you asked for it by running this command.
    ///
    /// First use: in a project with no env yet, the env is created first, as
    /// `venvoy run` does (see `venvoy run --help`).
    Shell(ShellArgs),

    /// Activate an env in the current shell (needs `venvoy init`)
    ///
    /// With no ENV, it activates the nearest `.venv` whether or not it is
    /// allowed (see `venvoy allow`): you asked for it. Only activation on
    /// `cd` (`venvoy init --auto`) waits for `venvoy allow`.
    Activate(ActivateArgs),

    /// Deactivate the active env in the current shell (needs `venvoy init`)
    Deactivate,

    /// Print the shell integration to add to your shell's start-up file
    ///
    /// bash: `eval "$(venvoy init bash)"` in ~/.bashrc; zsh: `eval "$(venvoy init zsh)"`
    /// in ~/.zshrc; fish: `venvoy init fish | source` in config.fish; nushell:
    /// `venvoy init nu | save -f ~/.venvoy.nu` then `source ~/.venvoy.nu` in config.nu;
    /// xonsh: `execx($(venvoy init xonsh))` in ~/.xonshrc; PowerShell:
    /// `Invoke-Expression (& venvoy init pwsh | Out-String)` in $PROFILE.
    ///
    /// It defines a `venvoy` shell function so that `venvoy activate [ENV]` and
    /// `venvoy deactivate` change the current shell, a `workon` command
    /// (virtualenvwrapper's: no argument lists envs, `workon NAME` activates,
    /// `workon .` the project's), and completions of env names.
    Init(InitArgs),

    /// Link the current project to an env by writing a `.venv` pointer file
    Use(UseArgs),

    /// Let the env a directory's `.venv` leads to activate on `cd`
    ///
    /// Activation on `cd` (`venvoy init SHELL --auto`) sources only envs
    /// venvoy created, cloned, moved or linked on this machine, envs in the
    /// env home that belong to you, and envs allowed here. DIR is a project
    /// directory (its nearest `.venv` is meant) or an env; the default is the
    /// current directory. The env is recorded with its identity (device,
    /// inode and birth time of its directory and `pyvenv.cfg`, and a digest
    /// of `pyvenv.cfg`): an env put at the same path later is not allowed.
    /// `--list` shows what is allowed and denied.
    Allow(AllowArgs),

    /// Stop the env a directory's `.venv` leads to from activating on `cd`
    ///
    /// Overrides every other reason to trust it (created by venvoy, in the
    /// env home) until `venvoy allow`.
    Deny(DenyArgs),

    /// Variables an env sets while it is active, in every shell
    ///
    /// Stored in the env (`venvoy-vars.json`) and written into every
    /// activation script venvoy makes: activating sets them, `deactivate`
    /// gives each its old value back (or unsets it if it had none), and
    /// switching envs restores the first env's before setting the second's.
    /// `venvoy run` and `venvoy shell` set them too. Values are data in
    /// every shell: quotes, `$()`, backticks, `%`, newlines are never run or
    /// expanded. Names that activation owns (`PATH`, `VIRTUAL_ENV`,
    /// `PYTHONHOME`, `PS1`, ...) are refused, and values a shell cannot hold:
    /// a NUL anywhere; a `"` or a line break (cmd.exe) in a Windows env. On an env made by another tool,
    /// venvoy writes its own activation scripts into it (and says so).
    #[command(subcommand)]
    Env(EnvCommand),

    /// Describe an env: interpreter, version, flags, creator, size, health
    ///
    /// Reads everything from disk (the base interpreter's version comes from
    /// venvoy's cache). Health is one word: ok, broken (Python cannot use the
    /// env as it is), moved (its scripts point to where it used to be) or
    /// stale (its base Python changed version); `venvoy doctor` says more.
    Info(InfoArgs),

    /// List the distributions installed in an env, without running Python
    ///
    /// Reads `*.dist-info` and `*.egg-info` metadata along the path pip
    /// searches (site-packages, `.pth` directories, `.egg-link`s, and the
    /// base's site-packages for envs with system site-packages). The result is
    /// what `pip list` / `pip freeze` print for the same env.
    Packages(PackagesArgs),

    /// Show what runs when you type NAME, and why
    ///
    /// Walks PATH as the shell does and lists every match in order, marking
    /// the one that runs, the venv each belongs to, symlinks, and the
    /// interpreter scripts start. Warns about the classic traps. Shell
    /// aliases, functions and the shell's hash table are invisible to any
    /// program: check them with `type -a NAME` (bash, zsh) or `type NAME`
    /// (fish), and `hash -r` to forget remembered paths.
    ///
    /// Exits with 1 when nothing on PATH matches.
    Which(WhichArgs),

    /// Show where `import MODULE` comes from in an env, and what it shadows
    ///
    /// Runs the env's Python (the only honest way), without the caller's
    /// `PYTHON*` variables unless `--pythonpath` is given, in the current
    /// directory (which is first on `sys.path` for `python -c` and the REPL).
    /// Shows every `sys.path` entry and where it comes from.
    ///
    /// With no `-e`, it runs the Python of the nearest `.venv` whether or not
    /// that env is allowed (see `venvoy allow`): you asked for it.
    ///
    /// Exits with 1 when the module is not found.
    Locate(LocateArgs),

    /// Find what is broken in an env, and repair what is safe with --fix
    ///
    /// Checks (by id): cfg-missing, cfg-malformed, base-missing, base-version,
    /// base-not-python, broken-link, moved, script-interpreter, lib64-link,
    /// path-twice, active-not-first, externally-managed, leftovers,
    /// project-moved, dist-incomplete, site-packages-off-path. `--fix` re-points the env to an
    /// interpreter of its own minor version (links, `pyvenv.cfg`, activation
    /// scripts made again), rewrites shebangs and repairs links; it never
    /// touches site-packages. Exits with 1 when a check fails (after
    /// `--fix`: when one still fails).
    Doctor(DoctorArgs),

    /// Print the activation script for an env (used by the shell integration)
    #[command(name = "__activate-script", hide = true)]
    ActivateScript(ActivateScriptArgs),

    /// Print the commands that source virtualenvwrapper's hooks for an event
    /// (used by the shell integration); hooks of an untrusted env are skipped
    /// with a notice on stderr
    #[command(name = "__hooks", hide = true)]
    Hooks(HooksArgs),

    /// Print venvoy's version and how it was built: commit, target, compiler, build date
    ///
    /// The same as `venvoy --version -v`; include it in bug reports.
    Version(VersionArgs),

    /// Print a completion script for a shell
    ///
    /// Example: `venvoy completions bash > ~/.local/share/bash-completion/completions/venvoy`
    Completions {
        /// The shell to complete for: bash, zsh, fish, nu (nushell), pwsh (powershell), elvish
        #[arg(value_enum, value_name = "SHELL")]
        shell: ShellName,
    },
}

/// A shell, named the same way by `init`, `completions` and the activation
/// the integration asks for. `pwsh`/`powershell` and `nu`/`nushell` are the
/// same shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellName {
    Bash,
    Zsh,
    Fish,
    #[value(alias = "nushell")]
    Nu,
    Xonsh,
    #[value(name = "pwsh", alias = "powershell")]
    Pwsh,
    /// POSIX sh (dash, busybox ash)
    #[value(alias = "dash")]
    Sh,
    /// ksh, mksh
    #[value(alias = "mksh")]
    Ksh,
    Csh,
    Tcsh,
    Cmd,
    /// Elvish (completions only)
    Elvish,
}

impl ShellName {
    /// The shell as venvoy's activation knows it (`None`: completions only).
    pub fn shell(self) -> Option<venvoy_shell::Shell> {
        use venvoy_shell::Shell;
        Some(match self {
            ShellName::Bash => Shell::Bash,
            ShellName::Zsh => Shell::Zsh,
            ShellName::Fish => Shell::Fish,
            ShellName::Nu => Shell::Nu,
            ShellName::Xonsh => Shell::Xonsh,
            ShellName::Pwsh => Shell::PowerShell,
            ShellName::Sh => Shell::Sh,
            ShellName::Ksh => Shell::Ksh,
            ShellName::Csh => Shell::Csh,
            ShellName::Tcsh => Shell::Tcsh,
            ShellName::Cmd => Shell::Cmd,
            ShellName::Elvish => return None,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum PythonCommand {
    /// List every interpreter found, newest first
    ///
    /// Looks on PATH and in pyenv, uv, asdf, mise and conda installs (and
    /// Homebrew and python.org Frameworks on macOS). The same file reached
    /// through several names is listed once.
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },

    /// Print the path of the interpreter that best matches a request
    ///
    /// REQUEST is a version (`3`, `3.12`, `3.12.1`, `312`, `3.13t`), a name with
    /// a version (`python3.12`, `cpython3.12`, `cpython@3.12`, `cp312`, `pypy`,
    /// `pypy3.10`), PEP 440 specifiers (`>=3.10,<3.13`), a path to an
    /// executable, an install prefix or a venv (meaning its base interpreter),
    /// or a command name looked up on PATH. Without REQUEST: the nearest
    /// `.python-version` (pyenv's format), else the newest CPython.
    ///
    /// Exits with 1 when nothing matches.
    Find {
        /// What to look for
        request: Option<String>,
        /// Print JSON instead of the path
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Print the cache directory
    Dir,
    /// Delete everything in the cache
    Clean,
    /// Fetch the newest seed wheels (pip, setuptools, wheel) from the index into the cache
    ///
    /// One wheel per package for each Python on this machine (the newest
    /// pip that supports it); later `venvoy create` runs use them offline.
    /// The index is `PIP_INDEX_URL` (default PyPI), through `https_proxy`.
    Update {
        /// The packages to fetch [default: pip, setuptools, wheel]
        #[arg(value_name = "PKG")]
        packages: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// Set variables: `venvoy env set DATABASE_URL=postgres://... DEBUG=1`
    Set {
        /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
        #[arg(short, long, value_name = "ENV")]
        env: Option<String>,
        /// NAME=VALUE pairs (the value is everything after the first `=`)
        #[arg(required = true, value_name = "NAME=VALUE")]
        assignments: Vec<String>,
    },
    /// Remove variables
    Unset {
        /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
        #[arg(short, long, value_name = "ENV")]
        env: Option<String>,
        /// The names to remove
        #[arg(required = true, value_name = "NAME")]
        names: Vec<String>,
    },
    /// List the variables an env sets: `NAME=VALUE`, one a line (values shown as shell words)
    List {
        /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
        #[arg(short, long, value_name = "ENV")]
        env: Option<String>,
        /// Print JSON: `{"env": PATH, "variables": {NAME: VALUE}}`
        #[arg(long)]
        json: bool,
    },
}

/// The env a command acts on, named as every command names it: `-e ENV`
/// (which `run`, `locate` and `seed` take too), or ENV as the first word.
#[derive(Debug, Clone, Args)]
pub struct EnvArg {
    /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
    #[arg(value_name = "ENV")]
    env: Option<String>,

    /// The env, as `run`, `locate` and `seed` take it (the same as ENV)
    #[arg(short = 'e', long = "env", value_name = "ENV", conflicts_with = "env")]
    env_flag: Option<String>,
}

impl EnvArg {
    /// The env named, either way.
    pub fn get(&self) -> Option<&str> {
        self.env_flag.as_deref().or(self.env.as_deref())
    }
}

/// An env and where it goes (`clone`, `move`): `ENV DEST`, or `-e ENV DEST`
/// as `run` and `locate` name the env.
#[derive(Debug, Clone, Args)]
pub struct EnvAndDest {
    /// The env (a path, or a name in the env home), then DEST: where it goes,
    /// a path (containing `/`) or a name in the env home, which must not
    /// exist. With `-e ENV`, only DEST
    #[arg(value_names = ["ENV", "DEST"], num_args = 1..=2, required = true)]
    words: Vec<String>,

    /// The env, as `run` and `locate` take it (then the one word is DEST)
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    env_flag: Option<String>,
}

impl EnvAndDest {
    /// `(ENV, DEST)`, or what is wrong with the words given.
    pub fn get(&self) -> Result<(&str, &str), String> {
        match (self.env_flag.as_deref(), self.words.as_slice()) {
            (Some(env), [dest]) => Ok((env, dest)),
            (None, [env, dest]) => Ok((env, dest)),
            (Some(_), _) => Err("with `-e ENV`, give only DEST".into()),
            (None, _) => Err("give ENV and DEST (or `-e ENV DEST`)".into()),
        }
    }
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
    #[arg(short, long, value_name = "ENV")]
    pub env: Option<String>,

    /// The packages: `pip`, `setuptools`, `wheel` [default: pip]
    #[arg(value_name = "PKG")]
    pub packages: Vec<String>,

    /// How files get from venvoy's cache into the venv
    #[arg(long, value_enum, default_value_t = SeedLinkMode::Hardlink, value_name = "MODE")]
    pub link_mode: SeedLinkMode,
}

/// How seeded files get from the unpacked-wheel cache into a venv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum SeedLinkMode {
    /// Hardlink (copy when the cache is on another file system)
    #[default]
    Hardlink,
    /// Copy every file
    Copy,
    /// Copy-on-write clone where the file system supports it, else copy
    Clone,
}

#[derive(Debug, Default, Args)]
pub struct CreateArgs {
    /// Where to create the venv [default: .venv]
    #[arg(value_name = "PATH", conflicts_with_all = ["name", "in_home"])]
    pub path: Option<PathBuf>,

    /// Create the venv as NAME in the env home ($VENVOY_HOME, else $WORKON_HOME,
    /// else $XDG_DATA_HOME/venvoy/envs). A name is one word of letters, digits
    /// and `-_.+@`, not starting with `.` or `-`
    #[arg(short, long, value_name = "NAME")]
    pub name: Option<String>,

    /// Keep this project's env in the env home, and link the project to it
    /// with a `.venv` file (PEP 832). The env is named after the directory
    /// plus a digest of its path (`api-1a2b3c4d`), unless `-n` names it.
    /// The default with neither PATH nor NAME when `VENVOY_IN_HOME=1`
    #[arg(long, conflicts_with = "in_project")]
    pub in_home: bool,

    /// Make the project's env as `.venv` in the current directory, even when
    /// `VENVOY_IN_HOME=1` makes `--in-home` the default
    #[arg(long, conflicts_with_all = ["name", "path"])]
    pub in_project: bool,

    /// The interpreter to use: any request `venvoy python find` takes
    #[arg(short, long, value_name = "REQUEST")]
    pub python: Option<String>,

    /// The prompt shown while the venv is active (`.` means the current directory's name)
    #[arg(long, value_name = "PROMPT")]
    pub prompt: Option<String>,

    /// Give the venv access to the base interpreter's site-packages
    #[arg(long)]
    pub system_site_packages: bool,

    /// Symlink the interpreter into the venv (the default)
    #[arg(long, overrides_with = "copies")]
    pub symlinks: bool,

    /// Copy the interpreter (and a shared libpython it needs) instead of symlinking
    #[arg(long, overrides_with = "symlinks")]
    pub copies: bool,

    /// Empty an existing venv at PATH first (a directory that is not a venv needs --force)
    #[arg(long, conflicts_with_all = ["upgrade", "allow_existing"])]
    pub clear: bool,

    /// With --clear: also empty a directory that is not a venv
    #[arg(long, requires = "clear")]
    pub force: bool,

    /// Re-point an existing venv to a new interpreter of the same or a newer
    /// minor version, keeping its site-packages
    #[arg(long, conflicts_with = "allow_existing")]
    pub upgrade: bool,

    /// Create the venv in an existing, non-empty directory, keeping its files
    #[arg(long)]
    pub allow_existing: bool,

    /// Do not write a `.gitignore` into the venv
    #[arg(long)]
    pub without_scm_ignore_files: bool,

    /// Do not install pip into the venv
    #[arg(long, alias = "no-pip", conflicts_with = "seed")]
    pub without_pip: bool,

    /// The packages to seed, comma-separated: `pip`, `setuptools`, `wheel` [default: pip]
    ///
    /// Wheels come from venvoy's cache, else the interpreter's own ensurepip
    /// wheels, else the index (`PIP_INDEX_URL`, default PyPI); see `venvoy cache update`.
    #[arg(long, value_delimiter = ',', value_name = "PKG,...")]
    pub seed: Vec<String>,

    /// Seed the newest release of each seed package from the index (as
    /// `python -m venv --upgrade-deps`), kept in venvoy's cache; offline,
    /// the newest already in the cache or the interpreter's ensurepip
    #[arg(long, conflicts_with = "without_pip")]
    pub upgrade_deps: bool,

    /// How seeded files get from venvoy's cache into the venv
    #[arg(long, value_enum, default_value_t = SeedLinkMode::Hardlink, value_name = "MODE")]
    pub link_mode: SeedLinkMode,

    /// Scripts find the venv from their own location, so it can be moved or
    /// copied (it still needs the base interpreter at the same path; see
    /// `venvoy relocatable --help`)
    #[arg(long)]
    pub relocatable: bool,

    /// Install the requirements in FILE into the venv once it is made (repeatable)
    ///
    /// Run with the venv's own pip (or `uv pip`, see `--installer`), whose
    /// progress and errors are shown as they come; venvoy exits with its status
    #[arg(short = 'r', long = "requirement", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,

    /// Install PKG into the venv once it is made (repeatable): any requirement
    /// pip takes, such as `requests` or `attrs>=23`
    #[arg(short = 'i', long = "install", value_name = "PKG")]
    pub install: Vec<String>,

    /// What installs `-r` and `-i`: the venv's pip, or `uv pip` (uv must be on PATH)
    #[arg(long, value_enum, default_value_t = Installer::Pip, value_name = "INSTALLER")]
    pub installer: Installer,

    /// When installing `-r`/`-i` fails, keep the new venv [default: remove it]
    #[arg(long)]
    pub keep_on_failure: bool,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// What installs requirements into a new venv.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Installer {
    /// The venv's own pip (`python -m pip install`)
    #[default]
    Pip,
    /// `uv pip install --python <venv>`, with the uv found on PATH
    Uv,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
    /// Only names, one per line (for completions)
    #[arg(long, hide = true)]
    pub names: bool,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Directories to scan; default: every tool's env directory and your home
    #[arg(value_name = "DIR")]
    pub dirs: Vec<std::path::PathBuf>,

    /// Walk into other file systems (mounts) too
    #[arg(long)]
    pub cross_file_systems: bool,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Directories to look in; default: as `venvoy scan`
    #[arg(value_name = "DIR")]
    pub dirs: Vec<std::path::PathBuf>,

    /// Also remove envs not used for this long (`90d`, `12w`, `6m` for months, `1y`)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub older_than: Option<u64>,

    /// Delete without asking
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Walk into other file systems (mounts) too
    #[arg(long)]
    pub cross_file_systems: bool,

    /// Print JSON (what would be removed, or what was)
    #[arg(long)]
    pub json: bool,
}

/// `90d`, `12w`, `36h`, `6m` (months of 30 days), `1y`: seconds.
fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: use a number and a unit, like `90d`"))?;
    let unit_secs = match unit {
        "h" => 3_600,
        "d" | "" => 86_400,
        "w" => 7 * 86_400,
        "m" => 30 * 86_400,
        "y" => 365 * 86_400,
        other => return Err(format!("unknown unit `{other}`: use h, d, w, m (months) or y")),
    };
    number.checked_mul(unit_secs).ok_or_else(|| format!("`{text}` is too long"))
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The envs to delete: names in the env home or paths
    #[arg(required_unless_present = "env_flags", value_name = "ENV")]
    pub envs: Vec<String>,
    /// An env to delete, as `run` and `locate` name it (repeatable; the same as ENV)
    #[arg(short = 'e', long = "env", value_name = "ENV")]
    pub env_flags: Vec<String>,
    /// Do not ask for confirmation (needed when not on a terminal)
    #[arg(short, long)]
    pub yes: bool,
    /// Also delete the active env, an env that projects link to with `.venv`
    /// files, or an env that holds a project or user data (`.git`,
    /// `pyproject.toml`, Python sources, ...) at its top level
    #[arg(long)]
    pub force: bool,
    /// Also delete the `.venv` files that link projects to it (those venvoy
    /// wrote, and the current project's)
    #[arg(long)]
    pub unlink: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
    #[arg(short, long, value_name = "ENV")]
    pub env: Option<String>,
    #[command(flatten)]
    pub first_use: FirstUseArgs,
    /// Set the variables of a dotenv file for the command (repeatable; a
    /// later file wins). `NAME=VALUE` lines, `export` prefixes, `#` comments,
    /// quotes and `$VAR` as `uv run --env-file` reads them; they go over the
    /// env's own variables (`venvoy env set`). `PATH`, `VIRTUAL_ENV` and
    /// `PYTHONHOME` stay as `run` sets them.
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_files: Vec<PathBuf>,
    /// The command and its arguments
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

/// What `run`, `shell` and `workon .` do in a project that has no env yet.
#[derive(Debug, Clone, Default, Args)]
pub struct FirstUseArgs {
    /// In a project without an env, fail instead of creating `.venv`
    /// (`VENVOY_NO_CREATE=1` does the same for every command)
    #[arg(long)]
    pub no_create: bool,

    /// When the env is created: install FILE instead of the project's
    /// `requirements.txt` (repeatable)
    #[arg(long = "requirement", value_name = "FILE")]
    pub requirements: Vec<PathBuf>,

    /// When the env is created: also install the project itself, editable
    /// (`pip install -e`). Off by default because building a project runs its
    /// build back-end's code (from `pyproject.toml` or `setup.py`)
    #[arg(long)]
    pub install_project: bool,
}

#[derive(Debug, Args)]
pub struct ShellArgs {
    #[command(flatten)]
    pub env: EnvArg,
    /// Start a subshell even inside another venvoy shell
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub first_use: FirstUseArgs,
}

#[derive(Debug, Args)]
pub struct ActivateArgs {
    #[command(flatten)]
    pub env: EnvArg,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The shell: bash, zsh, fish, nu (nushell), xonsh or pwsh (powershell)
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: ShellName,
    /// Also activate the nearest `.venv` on `cd`, and deactivate it on leaving
    #[arg(long)]
    pub auto: bool,
}

#[derive(Debug, Args)]
pub struct UseArgs {
    /// The env to link: a name in the env home or a path. The `.venv` file
    /// holds its absolute path (PEP 832), which editors and pipenv follow too
    #[arg(value_name = "ENV", required_unless_present = "env_flag")]
    env: Option<String>,
    /// The env, as `run` and `locate` take it (the same as ENV)
    #[arg(short = 'e', long = "env", value_name = "ENV", conflicts_with = "env")]
    env_flag: Option<String>,
}

impl UseArgs {
    /// The env named, either way (clap requires one).
    pub fn env(&self) -> &str {
        self.env_flag.as_deref().or(self.env.as_deref()).unwrap_or_default()
    }
}

#[derive(Debug, Args)]
pub struct VersionArgs {
    /// Print the build facts as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ActivateScriptArgs {
    /// The shell whose script to print
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: ShellName,
    /// The env
    pub env: Option<String>,
    /// Ignore `$VIRTUAL_ENV`: the nearest `.venv` from the current directory
    #[arg(long)]
    pub nearest: bool,
    /// Print the env's root, bin dir and prompt as JSON instead
    #[arg(long)]
    pub json: bool,
    /// For activation on `cd`: the nearest `.venv`, only if it is trusted
    /// (otherwise one line on stderr, and exit 1)
    #[arg(long, conflicts_with = "create")]
    pub auto: bool,
    /// For `workon .`: with `--nearest`, create the project's env on first use
    #[arg(long, requires = "nearest")]
    pub create: bool,
    #[command(flatten)]
    pub first_use: FirstUseArgs,
}

#[derive(Debug, Args)]
pub struct HooksArgs {
    /// The shell that sources them
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: ShellName,
    /// The event
    #[arg(value_enum, value_name = "EVENT")]
    pub event: HookEvent,
    /// The env's root
    #[arg(value_name = "ENV")]
    pub env: std::path::PathBuf,
}

/// virtualenvwrapper's hook events venvoy runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookEvent {
    Postactivate,
    Predeactivate,
    Postdeactivate,
}

#[derive(Debug, Args)]
pub struct AllowArgs {
    /// A project directory or an env [default: the current directory]
    #[arg(value_name = "DIR|ENV", conflicts_with = "list")]
    pub target: Option<String>,
    /// List the allowed and denied envs, and whether each is still the same env
    #[arg(long)]
    pub list: bool,
    /// With `--list`: print JSON
    #[arg(long, requires = "list")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DenyArgs {
    /// A project directory or an env [default: the current directory]
    #[arg(value_name = "DIR|ENV")]
    pub target: Option<String>,
}

#[derive(Debug, Args)]
pub struct CloneArgs {
    /// The env to copy, and where the copy goes
    #[command(flatten)]
    pub target: EnvAndDest,

    /// Copy every file instead of sharing unchanged ones (reflink or hardlink)
    #[arg(long)]
    pub copy: bool,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    /// The env to move, and where it goes
    #[command(flatten)]
    pub target: EnvAndDest,

    /// Move the env even if it is the active one (`$VIRTUAL_ENV`)
    #[arg(long)]
    pub force: bool,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RelocatableArgs {
    #[command(flatten)]
    pub env: EnvArg,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub env: EnvArg,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PackagesArgs {
    #[command(flatten)]
    pub env: EnvArg,

    /// Print requirements-file lines, as `pip freeze` does
    #[arg(long, conflicts_with = "json")]
    pub freeze: bool,

    /// With --freeze: also list pip (and setuptools, wheel, distribute before Python 3.12)
    #[arg(long, requires = "freeze")]
    pub all: bool,

    /// Print JSON (the fields of `pip list --format=json`, and more)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WhichArgs {
    /// The command name (or a path)
    pub name: String,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LocateArgs {
    /// The module, e.g. `json` or `email.mime`
    pub module: String,

    /// The env: a path, or a name in the env home [default: the active env, else the nearest `.venv`]
    #[arg(short, long, value_name = "ENV")]
    pub env: Option<String>,

    /// Pass the caller's `PYTHONPATH` to Python
    #[arg(long)]
    pub pythonpath: bool,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub env: EnvArg,

    /// Check every env `venvoy scan` finds: every tool's envs, venvoy's, and those under your home
    #[arg(long, conflicts_with_all = ["env", "env_flag"])]
    pub all: bool,

    /// Repair what is safe to repair
    #[arg(long)]
    pub fix: bool,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

impl Command {
    /// Whether the command looks something up, so that finding nothing
    /// exits with 1 (every other failure exits with 2).
    pub fn looks_up(&self) -> bool {
        matches!(
            self,
            Command::Python(PythonCommand::Find { .. })
                | Command::Which(_)
                | Command::Locate(_)
                | Command::Info(_)
                | Command::Packages(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn doctor_help_names_every_check() {
        let cli = super::Cli::command();
        let doctor = cli.find_subcommand("doctor").expect("a doctor command");
        let help = doctor.get_long_about().expect("doctor's long help").to_string();
        for check in venvoy_inspect::check::CheckId::ALL {
            assert!(help.contains(check.id()), "`venvoy doctor --help` does not name `{}`", check.id());
        }
    }
}
