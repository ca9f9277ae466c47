//! Naming, finding and tracking environments.
//!
//! - [`resolve`]: the ENV resolver every command uses (path, name, `$VIRTUAL_ENV`, `.venv`).
//! - [`name`]: the one rule for env names, and the names of project envs kept in the home.
//! - [`pointer`]: PEP 832 `.venv` files.
//! - [`project`]: what marks a project root, for creating its env on first use.
//! - [`registry`]: project envs venvoy created or linked.
//! - [`links`]: keeping the registry and `.venv` files true through remove and move.
//! - [`trust`]: which envs may activate on their own (`venvoy allow`/`deny`).

pub mod error;
pub mod links;
pub mod name;
pub mod pointer;
pub mod project;
pub mod registry;
pub mod resolve;
pub mod trust;

pub use error::EnvError;
pub use registry::{Entry, Registry};
pub use resolve::{EnvContext, ResolvedEnv, Rule, is_path_spec};
pub use trust::{Decision, TrustStore};
