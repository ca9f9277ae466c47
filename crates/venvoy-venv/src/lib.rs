//! Creating standard PEP 405 virtual environments: the layout from the
//! interpreter's own venv scheme, `pyvenv.cfg`, interpreter links, activation
//! scripts, built aside and renamed into place.
//!
//! - [`options`]: what the caller wants (plain, resolved settings).
//! - [`layout`]: where things go, from the interpreter's query.
//! - [`cfg`]: the `pyvenv.cfg` venvoy writes.
//! - [`create`]: the whole job, for each state the target can be in.

pub mod cfg;
pub mod create;
pub mod error;
pub mod layout;
pub mod options;

pub use create::{Action, Created, create};
pub use error::CreateError;
pub use layout::Layout;
pub use options::{CreateOptions, Existing, LinkMode, SeedHook, SeedResult};
