//! Cloning, moving and making relocatable PEP 405 venvs, without running
//! Python: every file that names the env's old location is found by where
//! it sits and rewritten for the new one.
//!
//! What names the location, and what happens to it:
//!
//! | file | at the new place |
//! |---|---|
//! | `pyvenv.cfg` | the old path replaced (`command`, and any key naming the env) |
//! | activation scripts | rendered again by venvoy-shell for the new path |
//! | console scripts | a new header for the new interpreter path, in the `#!` or `/bin/sh` form the new path needs |
//! | `.pth`, `.egg-link` | the old path replaced; always a fresh copy |
//! | `direct_url.json` | a `file://` URL into the env moved (percent-encoding kept) |
//! | `RECORD` | absolute paths moved; hashes and sizes of rewritten files refreshed |
//! | other text outside site-packages, and top-level site-packages files (editable finders) | the old path replaced |
//! | `__pycache__` | left behind: its byte code names the old paths; Python rebuilds it |
//! | symlinks | absolute targets inside the env re-pointed |
//! | everything else | reflinked, hardlinked or copied ([`LinkMode`]), never read |
//!
//! - [`prefix`]: finding and replacing whole old paths in bytes.
//! - [`kind`]: which kind each file is, and what each kind becomes.
//! - [`record`], [`activation`]: the formats that need more than replacement.
//! - [`link`]: reflink, hardlink or copy for unchanged files.
//! - [`tree`]: the copy of a whole env into a directory.
//! - [`checks`]: the refusals.
//! - [`clone`], [`move_env`], [`relocatable`]: the three operations.

pub mod activation;
pub mod checks;
pub mod clone;
mod error;
pub mod kind;
pub mod link;
pub mod move_env;
pub mod prefix;
pub mod record;
pub mod relocatable;
pub mod tree;

pub use clone::{Cloned, clone_env};
pub use error::RelocateError;
pub use link::LinkMode;
pub use move_env::{Moved, move_env};
pub use relocatable::{Converted, make_relocatable, make_scripts_relocatable};
pub use tree::Stats;
