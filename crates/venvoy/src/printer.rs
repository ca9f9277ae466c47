//! Where output goes: data to stdout, messages to stderr (silenced by `-q`),
//! colors stripped when the stream is not a terminal or `NO_COLOR` is set.

use std::io::Write;

#[derive(Debug, Clone, Copy)]
pub struct Printer {
    quiet: bool,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
impl Printer {
    pub fn new(quiet: bool) -> Self {
        Self { quiet }
    }

    /// Whether `-q` was given (progress bars stay hidden too).
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// A line of data on stdout (never silenced).
    pub fn data(&self, line: impl std::fmt::Display) {
        let mut out = anstream::stdout().lock();
        let _ = writeln!(out, "{line}");
    }

    /// Raw bytes on stdout, with no newline (paths for the shell integration).
    pub fn raw(&self, text: &std::ffi::OsStr) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_encoded_bytes());
        let _ = out.flush();
    }

    /// Pretty JSON on stdout.
    pub fn json(&self, value: &impl serde::Serialize) -> anyhow::Result<()> {
        let mut out = anstream::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)?;
        writeln!(out)?;
        Ok(())
    }

    /// A message for the user on stderr (silenced by `-q`).
    pub fn message(&self, line: impl std::fmt::Display) {
        if !self.quiet {
            let _ = writeln!(anstream::stderr().lock(), "{line}");
        }
    }

    /// An error report on stderr (never silenced).
    pub fn error(&self, text: &str) {
        let _ = write!(anstream::stderr().lock(), "{text}");
    }
}
