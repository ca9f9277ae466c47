//! Rendering errors for people: `error:`, `Caused by:` lines and a `hint:`,
//! and choosing the exit code.
//!
//! A command fails with a [`Failure`]: the error that stopped it, kept as a
//! `Box<dyn Hint>` so its hint comes from the error type itself (every
//! library error implements [`venvoy_fs::Hint`]); no list of error types is
//! kept here.

use std::error::Error;
use std::fmt::Write as _;
use std::process::ExitCode;

use owo_colors::OwoColorize;
use venvoy_fs::{BoxedHint, Hint};

/// What commands return: `Failure` unless said otherwise.
pub type Result<T, E = Failure> = std::result::Result<T, E>;

/// Why a command failed: the error, which knows its own hint.
pub struct Failure(Box<dyn Hint>);

impl<E: Hint> From<E> for Failure {
    fn from(err: E) -> Self {
        Self(Box::new(err))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&*self.0, f)
    }
}

impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

/// An error raised by the CLI layer itself, with what to do about it, and
/// optionally the library error it explains.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    /// "Nothing found" rather than "an action failed".
    pub nothing_found: bool,
    #[source]
    pub source: Option<BoxedHint>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None, nothing_found: false, source: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Mark the error as "nothing found" (exit 1 in commands that look things up).
    pub fn not_found(mut self) -> Self {
        self.nothing_found = true;
        self
    }

    /// The error this one explains; its hint is used when this one has none.
    pub fn because(mut self, source: impl Hint) -> Self {
        self.source = Some(BoxedHint::new(source));
        self
    }
}

impl Hint for UserError {
    fn hint(&self) -> Option<String> {
        self.hint.clone().or_else(|| self.source.as_ref().and_then(Hint::hint))
    }

    fn nothing_found(&self) -> bool {
        self.nothing_found || self.source.as_ref().is_some_and(Hint::nothing_found)
    }
}

/// Give an error the message of what was being done, keeping its hint.
pub trait Context<T> {
    fn with_context<S: Into<String>>(self, message: impl FnOnce() -> S) -> Result<T, UserError>;
}

impl<T, E: Hint> Context<T> for std::result::Result<T, E> {
    fn with_context<S: Into<String>>(self, message: impl FnOnce() -> S) -> Result<T, UserError> {
        self.map_err(|e| UserError::new(message()).because(e))
    }
}

/// The exit code and text for a failure, hint included. `lookup` says the
/// command looks something up, where "nothing found" exits with 1; every
/// other failure exits with 2.
pub fn render(failure: &Failure, lookup: bool) -> (ExitCode, String) {
    let err: &dyn Hint = &*failure.0;
    let code = if lookup && err.nothing_found() { 1 } else { 2 };

    let mut out = String::new();
    let mut previous = err.to_string();
    let _ = writeln!(out, "{} {}", "error:".red().bold(), previous);
    let mut cause: Option<&dyn Error> = err.source();
    while let Some(e) = cause {
        let text = e.to_string();
        // Transparent wrappers repeat their source's message: show it once.
        if text != previous && !previous.ends_with(&text) {
            let _ = writeln!(out, "  {} {}", "Caused by:".yellow(), text);
        }
        previous = text;
        cause = e.source();
    }
    if let Some(hint) = err.hint() {
        let _ = writeln!(out, "{} {}", "hint:".cyan().bold(), hint);
    }
    (ExitCode::from(code), out)
}
