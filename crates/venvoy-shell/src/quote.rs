//! Quoting functions: turn any string into a literal of one shell's syntax.
//!
//! Each function returns text that, when the shell parses it as one word or
//! expression, yields exactly the input and runs nothing. Shells that cannot
//! hold some values return [`Unrepresentable`] for them.

mod cmd;
mod csh;
mod fish;
mod nu;
mod posix;
mod powershell;
mod xonsh;

pub use cmd::{cmd, cmd_delayed, cmd_prompt};
pub use csh::csh_word;
pub use fish::fish;
pub use nu::nu;
pub use posix::{posix, posix_bytes};
pub use powershell::powershell;
pub use xonsh::xonsh;

/// A value that one shell's syntax cannot carry safely.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{shell} cannot represent this value: {reason}")]
pub struct Unrepresentable {
    /// The shell (or shell family) that refused, e.g. `csh`.
    pub shell: &'static str,
    /// Why, in words fit for a user-facing message.
    pub reason: &'static str,
}

impl venvoy_fs::Hint for Unrepresentable {}
