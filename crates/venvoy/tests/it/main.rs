//! venvoy's integration tests: the real binary, real interpreters, real shells,
//! each test in its own sandbox (see `common`).

mod common;
mod create;
mod workflow;

mod python_bad_input;
mod python_find;
mod python_list;
mod seed;
