//! cmd.exe (batch file) quoting.

use super::Unrepresentable;

/// Which `cmd.exe` expansion mode a batch line will be read in.
///
/// Percent expansion always happens in a batch file; `!` expansion only when
/// the calling shell enabled delayed expansion (`cmd /V:ON`,
/// `setlocal EnableDelayedExpansion`). The activation script picks the line
/// for the mode it finds itself in.
fn escape(s: &str, delayed: bool) -> Result<String, Unrepresentable> {
    if s.contains(['"', '\n', '\r', '\0']) {
        return Err(Unrepresentable {
            shell: "cmd",
            reason: "it contains a double quote or a line break, which a batch file cannot quote",
        });
    }
    let has_bang = s.contains('!');
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '%' => out.push_str("%%"),
            // With delayed expansion on, a line holding a `!` also loses its
            // carets, even inside quotes: escape both.
            '!' | '^' if delayed && has_bang => {
                out.push('^');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// Escape `s` for the value part of `set "NAME=…"` in a batch file run
/// without delayed expansion (cmd's default).
///
/// Inside the quotes of `set "…"` the characters `& | < > ( ) ^` are literal;
/// `%` is doubled. A double quote or line break cannot be written at all.
pub fn cmd(s: &str) -> Result<String, Unrepresentable> {
    escape(s, false)
}

/// As [`cmd`], for a line read with delayed expansion on (`cmd /V:ON`):
/// when the value holds a `!`, every `!` and `^` is caret-escaped too.
pub fn cmd_delayed(s: &str) -> Result<String, Unrepresentable> {
    escape(s, true)
}

/// Escape prompt text for cmd's `PROMPT` variable: `$` starts a prompt code
/// there, so a literal dollar is `$$`; then as [`cmd`] (or [`cmd_delayed`]
/// with `delayed`).
pub fn cmd_prompt(s: &str, delayed: bool) -> Result<String, Unrepresentable> {
    escape(&s.replace('$', "$$"), delayed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_doubled_in_both_modes() {
        assert_eq!(cmd("100%x%").unwrap(), "100%%x%%");
        assert_eq!(cmd_delayed("100%x%").unwrap(), "100%%x%%");
    }

    #[test]
    fn caret_and_bang() {
        assert_eq!(cmd("a^b").unwrap(), "a^b");
        // no `!` in the value: delayed expansion leaves carets alone
        assert_eq!(cmd_delayed("a^b").unwrap(), "a^b");
        assert_eq!(cmd("a^b!").unwrap(), "a^b!");
        assert_eq!(cmd_delayed("a^b!").unwrap(), "a^^b^!");
    }

    #[test]
    fn specials_are_literal_inside_set_quotes() {
        assert_eq!(cmd("a&b|c<d>e(f)").unwrap(), "a&b|c<d>e(f)");
    }

    #[test]
    fn refused() {
        assert!(cmd("a\"b").is_err());
        assert!(cmd_delayed("a\nb").is_err());
    }

    #[test]
    fn prompt_dollar() {
        assert_eq!(cmd_prompt("$P%", false).unwrap(), "$$P%%");
    }
}
