//! venvoy's integration tests: the real binary, real interpreters, real shells,
//! each test in its own sandbox (see `common`).

// Tests print why they skip something.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod clone;
mod common;
mod create;
mod shells;
mod workflow;

mod python_bad_input;
mod python_find;
mod python_list;
mod seed;
