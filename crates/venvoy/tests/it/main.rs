//! venvoy's integration tests: the real binary, real interpreters, real shells,
//! each test in its own sandbox (see `common`).

// Tests print why they skip something.
#![allow(clippy::print_stderr, clippy::print_stdout)]

mod architecture;
mod clone;
mod common;
mod confirm;
mod container;
mod create;
mod env_flag;
mod env_vars;
mod errors;
mod first_use;
mod hooks;
mod integration_other;
mod json;
mod kills;
mod local_index;
mod move_env;
mod projects;
mod relocatable;
mod safety;
mod scan;
mod shells;
mod trust;
mod version;
mod workflow;

mod default_python;
mod python_bad_input;
mod python_find;
mod python_list;
mod seed;

mod doctor;
mod info;
mod locate;
mod packages;
mod pep668;
mod pypy;
mod unwritable_home;
mod which;
