//! The error every parser in this crate returns.

/// Why a metadata file could not be parsed: which file, which line (1-based,
/// 0 when the problem is not tied to one line) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {file}{}: {reason}", line_suffix(*line))]
pub struct ParseError {
    /// The kind of file, e.g. `RECORD` or `entry_points.txt`.
    pub file: &'static str,
    /// 1-based line number, or 0 for the file as a whole.
    pub line: usize,
    /// What was wrong, in words.
    pub reason: String,
}

fn line_suffix(line: usize) -> String {
    if line == 0 { String::new() } else { format!(" (line {line})") }
}

impl ParseError {
    pub(crate) fn new(file: &'static str, line: usize, reason: impl Into<String>) -> Self {
        Self { file, line, reason: reason.into() }
    }
}

impl venvoy_fs::Hint for ParseError {}
