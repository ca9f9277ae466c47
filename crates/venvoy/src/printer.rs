//! Where output goes: data to stdout, messages to stderr (silenced by `-q`),
//! colors stripped when the stream is not a terminal or `NO_COLOR` is set.
//!
//! Data goes through one buffer, written out in blocks of at least
//! [`BLOCK`] bytes, before any message (so the two streams stay in order on a
//! terminal), and at the end or on error ([`Printer::flush`]). Whether stdout
//! takes colors is asked once, when the printer is made.

use std::cell::RefCell;
use std::io::Write;

use owo_colors::OwoColorize;

/// Buffered data is written out once it reaches this size.
const BLOCK: usize = 64 * 1024;

#[derive(Debug)]
pub struct Printer {
    quiet: bool,
    /// Whether stdout keeps ANSI styles (a terminal, or `--color always`).
    stdout_color: bool,
    /// The same for stderr.
    stderr_color: bool,
    out: RefCell<Vec<u8>>,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
impl Printer {
    pub fn new(quiet: bool) -> Self {
        let color = |choice| choice != anstream::ColorChoice::Never;
        let stdout_color = color(anstream::AutoStream::choice(&std::io::stdout()));
        let stderr_color = color(anstream::AutoStream::choice(&std::io::stderr()));
        Self { quiet, stdout_color, stderr_color, out: RefCell::new(Vec::new()) }
    }

    /// Whether `-q` was given (progress bars stay hidden too).
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// A line of data on stdout (never silenced).
    pub fn data(&self, line: impl std::fmt::Display) {
        let full = {
            let mut out = self.out.borrow_mut();
            let _ = writeln!(out, "{line}");
            out.len() >= BLOCK
        };
        if full {
            self.flush();
        }
    }

    /// Raw bytes on stdout, with no newline (paths for the shell integration).
    pub fn raw(&self, text: &std::ffi::OsStr) {
        self.out.borrow_mut().extend_from_slice(text.as_encoded_bytes());
        self.flush();
    }

    /// Pretty JSON on stdout.
    pub fn json(&self, value: &impl serde::Serialize) -> std::io::Result<()> {
        let full = {
            let mut out = self.out.borrow_mut();
            serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
            out.push(b'\n');
            out.len() >= BLOCK
        };
        if full {
            self.flush();
        }
        Ok(())
    }

    /// A message for the user on stderr (silenced by `-q`).
    pub fn message(&self, line: impl std::fmt::Display) {
        if !self.quiet {
            self.flush();
            self.to_stderr(format!("{line}\n"));
        }
    }

    /// A warning the user should act on, on stderr as `warning: ...`
    /// (silenced by `-q`). The one way venvoy warns; `tracing` is for the
    /// story of a run (`-v`).
    pub fn warn(&self, line: impl std::fmt::Display) {
        if !self.quiet {
            self.flush();
            self.to_stderr(format!("{} {line}\n", "warning:".yellow().bold()));
        }
    }

    /// Ask `question` on stderr (never silenced) and read the answer:
    /// `Some(true)` for `y`/`yes`, `Some(false)` for anything else, `None`
    /// when standard input is not a terminal (nobody to ask). The one way a
    /// command asks before deleting (`remove`, `gc`).
    pub fn confirm(&self, question: &str) -> std::io::Result<Option<bool>> {
        use std::io::{BufRead, IsTerminal};
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        self.flush();
        self.to_stderr(format!("{question} [y/N] "));
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        Ok(Some(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes")))
    }

    /// An error report on stderr (never silenced).
    pub fn error(&self, text: &str) {
        self.flush();
        self.to_stderr(text.to_string());
    }

    /// One message on stderr in one `write`, its styles stripped here when
    /// stderr does not take them (a stripping stream writes each run of
    /// text between two styles on its own).
    fn to_stderr(&self, text: String) {
        let bytes = if self.stderr_color {
            text.into_bytes()
        } else {
            anstream::adapter::strip_str(&text).to_string().into_bytes()
        };
        let _ = std::io::stderr().lock().write_all(&bytes);
    }

    /// Write out the buffered data in one `write` (fewer when the pipe is
    /// full); styles are stripped here when stdout does not take them.
    pub fn flush(&self) {
        let mut out = self.out.borrow_mut();
        if out.is_empty() {
            return;
        }
        let mut stdout = std::io::stdout().lock();
        // Most data has no styles to strip: pass it through without a copy.
        let _ = if self.stdout_color || !out.contains(&0x1b) {
            stdout.write_all(&out)
        } else {
            stdout.write_all(&anstream::adapter::strip_bytes(&out).into_vec())
        };
        let _ = stdout.flush();
        out.clear();
    }
}

impl Drop for Printer {
    fn drop(&mut self) {
        self.flush();
    }
}
