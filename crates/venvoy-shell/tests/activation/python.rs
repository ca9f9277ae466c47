//! python tests.
