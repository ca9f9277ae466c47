//! quoting tests.
