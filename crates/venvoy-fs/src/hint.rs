//! What the user can do about an error, said by the error type itself.
//!
//! Every library error type implements [`Hint`]; the CLI keeps the failing
//! error as a `Box<dyn Hint>` and asks it, so no list of error types is kept
//! anywhere. An error that wraps another asks its source in turn.

use std::error::Error;
use std::fmt;

/// An error that can say what to do about it.
pub trait Hint: Error + Send + Sync + 'static {
    /// One sentence on what to do next, or `None` when there is nothing
    /// useful to add to the message.
    fn hint(&self) -> Option<String> {
        None
    }

    /// Whether the error means "nothing was found" (a lookup came back
    /// empty) rather than "an action failed". Commands that look things up
    /// exit with 1 for these; every other failure exits with 2.
    fn nothing_found(&self) -> bool {
        false
    }
}

impl Hint for std::io::Error {}

/// A boxed error that keeps its [`Hint`] across a crate boundary (what a
/// hook returns). It shows as the error inside and has that error's source.
pub struct BoxedHint(pub Box<dyn Hint>);

impl BoxedHint {
    pub fn new(err: impl Hint) -> Self {
        Self(Box::new(err))
    }
}

impl fmt::Debug for BoxedHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for BoxedHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl Error for BoxedHint {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.0.source()
    }
}

impl Hint for BoxedHint {
    fn hint(&self) -> Option<String> {
        self.0.hint()
    }

    fn nothing_found(&self) -> bool {
        self.0.nothing_found()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("inner")]
    struct Inner;

    impl Hint for Inner {
        fn hint(&self) -> Option<String> {
            Some("do this".into())
        }
        fn nothing_found(&self) -> bool {
            true
        }
    }

    #[test]
    fn boxed_keeps_the_hint_and_the_message() {
        let boxed = BoxedHint::new(Inner);
        assert_eq!(boxed.to_string(), "inner");
        assert_eq!(boxed.hint().as_deref(), Some("do this"));
        assert!(boxed.nothing_found());
    }

    #[test]
    fn io_errors_have_no_hint() {
        let err = std::io::Error::other("x");
        assert_eq!(err.hint(), None);
        assert!(!err.nothing_found());
    }
}
