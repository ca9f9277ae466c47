//! nu tests.
