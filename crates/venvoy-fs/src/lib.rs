//! File-system mechanisms shared by every venvoy crate, each written once.
//!
//! - [`read`]: open only regular files and read them with a size cap, so a
//!   FIFO, a device or a huge file in a repository can neither hang nor
//!   exhaust venvoy.
//! - [`atomic`]: write a file or publish a directory all at once (temporary
//!   sibling + rename), never through a hardlink; clean what an interrupted
//!   run left behind.
//! - [`stage`]: build many files aside and merge them into a directory so
//!   that a kill or a full disk leaves the old state or the complete new one.
//! - [`link`]: clone (reflink), hardlink or copy a file to a new name.
//! - [`venv`]: the one answer to "is this directory a venv?".
//! - [`gate`]: the one answer to "may venvoy delete this directory?".
//! - [`path`]: lexical normalisation and `~` expansion.
//! - [`hint`]: the [`Hint`] trait every library error implements.

pub mod atomic;
pub mod gate;
pub mod hint;
pub mod link;
pub mod path;
pub mod read;
pub mod stage;
pub mod venv;

pub use atomic::{write_atomic, write_atomic_mode};
pub use gate::{DeleteRefusal, check_deletable};
pub use hint::{BoxedHint, Hint};
pub use read::{ReadError, read_capped, read_to_string_capped};
pub use venv::{is_venv, scripts_dir};
