//! Rendering errors for people: `error:`, `Caused by:` lines and a `hint:`,
//! and choosing the exit code.

use std::fmt::Write as _;
use std::process::ExitCode;

use owo_colors::OwoColorize;

/// An error raised by the CLI layer itself, with what to do about it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    /// 1 for "nothing found / a check failed", 2 otherwise.
    pub code: u8,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None, code: 2 }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The exit code and text for an error, hint included.
pub fn render(err: &anyhow::Error) -> (ExitCode, String) {
    let mut hint: Option<String> = None;
    let mut code = 2u8;
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<venvoy_python::FindError>() {
            hint = hint.or_else(|| e.hint());
            if e.is_not_found() {
                code = 1;
            }
        } else if let Some(e) = cause.downcast_ref::<venvoy_venv::CreateError>() {
            hint = hint.or_else(|| e.hint());
        } else if let Some(e) = cause.downcast_ref::<venvoy_wheel::SeedError>() {
            hint = hint.or_else(|| e.hint());
        } else if let Some(e) = cause.downcast_ref::<venvoy_env::EnvError>() {
            hint = hint.or_else(|| e.hint());
            if e.is_not_found() {
                code = 1;
            }
        } else if let Some(e) = cause.downcast_ref::<venvoy_env::trust::TrustError>() {
            hint = hint.or_else(|| e.hint());
        } else if let Some(e) = cause.downcast_ref::<venvoy_relocate::RelocateError>() {
            hint = hint.or_else(|| e.hint());
        } else if let Some(e) = cause.downcast_ref::<venvoy_inspect::InspectError>() {
            hint = hint.or_else(|| e.hint());
        } else if let Some(e) = cause.downcast_ref::<venvoy_fs::DeleteRefusal>() {
            hint = hint.or_else(|| e.hint());
        } else if let Some(e) = cause.downcast_ref::<UserError>() {
            hint = hint.or_else(|| e.hint.clone());
            code = e.code;
        }
    }

    let mut out = String::new();
    let _ = writeln!(out, "{} {}", "error:".red().bold(), err);
    let mut previous = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        // Transparent wrappers repeat their source's message: show it once.
        if text != previous && !previous.ends_with(&text) {
            let _ = writeln!(out, "  {} {}", "Caused by:".yellow(), text);
        }
        previous = text;
    }
    if let Some(hint) = hint {
        let _ = writeln!(out, "{} {}", "hint:".cyan().bold(), hint);
    }
    (ExitCode::from(code), out)
}
