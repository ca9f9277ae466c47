//! Integration tests: activation scripts sourced in real shells.
//!
//! Shells come from `scripts/install-test-shells.sh`. A missing shell skips
//! its tests with a note on stderr, or fails them when `CI` is set.

// Skip notes go to stderr by design.
#![allow(clippy::print_stderr)]

mod support;

mod commands;
mod csh;
mod fish;
mod golden;
mod nu;
mod posix;
mod python;
mod quoting;
mod vars;
mod xonsh;
