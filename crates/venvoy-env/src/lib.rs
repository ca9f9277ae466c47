//! Naming, finding and tracking environments.
//!
//! - [`resolve`]: the ENV resolver every command uses (path, name, `$VIRTUAL_ENV`, `.venv`).
//! - [`pointer`]: `.venv` pointer files.
//! - [`registry`]: project envs venvoy created or linked.
//! - [`trust`]: which envs may activate on their own (`venvoy allow`/`deny`).

pub mod error;
pub mod pointer;
pub mod registry;
pub mod resolve;
pub mod trust;

pub use error::EnvError;
pub use registry::{Entry, Registry};
pub use resolve::{EnvContext, ResolvedEnv, Rule, is_path_spec};
pub use trust::{Decision, TrustStore};
