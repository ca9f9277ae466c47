//! What the tests of every venvoy crate share (a dev-dependency only).
//!
//! A test whose tool or interpreter is missing must not pass quietly: under
//! `CI=true` it fails naming what is missing; elsewhere it prints a visible
//! `SKIP` line and the caller returns.

// Tests say why they skip.
#![allow(clippy::print_stderr)]

/// Whether the tests run in CI, where every tool must be there.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// What a test needs is missing: under `CI=true` the test fails naming it;
/// elsewhere it prints a visible SKIP line and the caller returns.
///
/// ```ignore
/// let Some(pip) = pip_wheel() else { return missing("a pip wheel") };
/// ```
#[track_caller]
pub fn missing(what: &str) {
    assert!(
        !in_ci(),
        "CI=true and the test needs {what}, which is missing: run scripts/install-test-tools.sh"
    );
    eprintln!("SKIP {}: {what} is missing", std::thread::current().name().unwrap_or("test"));
}
