//! csh tests.
