//! fish tests.
