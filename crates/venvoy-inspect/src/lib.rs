//! Explaining and repairing venvs made by any tool (venv, virtualenv, uv,
//! venvoy), reading the answer from disk wherever it is there.
//!
//! - [`venv`]: a venv as found on disk: `pyvenv.cfg`, `bin/`, site-packages.
//! - [`cfg_check`]: whether a `pyvenv.cfg` is usable.
//! - [`base`]: the base interpreter a venv points to.
//! - [`creator`]: which tool made a venv.
//! - [`size`]: size on disk.
//! - [`pth`], [`vcs`], [`packages`]: installed distributions, as pip lists them.
//! - [`which`], [`traps`]: what runs for a command name, and the classic PATH traps.
//! - [`pep668`]: interpreters marked `EXTERNALLY-MANAGED`, where pip refuses to install.
//! - [`locate`]: where an import comes from (runs the env's Python).
//! - [`check`], [`doctor`], [`repair`], [`health`], [`info`]: diagnosis and repair.

pub mod base;
pub mod cfg_check;
pub mod check;
pub mod creator;
pub mod doctor;
pub mod error;
pub mod health;
pub mod info;
pub mod locate;
pub mod packages;
pub mod pep668;
pub mod pth;
pub mod repair;
pub mod size;
pub mod traps;
pub mod vcs;
pub mod venv;
pub mod which;

pub use error::InspectError;
pub use venv::Venv;
