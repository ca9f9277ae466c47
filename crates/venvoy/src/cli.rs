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

    /// Print only errors
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

    /// Manage venvoy's cache of interpreter facts
    #[command(subcommand)]
    Cache(CacheCommand),

    /// Print a completion script for a shell
    ///
    /// Example: `venvoy completions bash > ~/.local/share/bash-completion/completions/venvoy`
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
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
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Where to create the venv [default: .venv]
    #[arg(value_name = "PATH", conflicts_with = "name")]
    pub path: Option<PathBuf>,

    /// Create the venv as NAME in the env home ($VENVOY_HOME, else $WORKON_HOME,
    /// else $XDG_DATA_HOME/venvoy/envs)
    #[arg(short, long, value_name = "NAME")]
    pub name: Option<String>,

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
    #[arg(long, alias = "no-pip")]
    pub without_pip: bool,

    /// Scripts find the venv from their own location, so it can be moved
    #[arg(long)]
    pub relocatable: bool,

    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}
