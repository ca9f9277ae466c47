//! `-v`/`-q` and `RUST_LOG`: the tracing subscriber that writes the story of a run to stderr.

use tracing_subscriber::EnvFilter;

/// Set up logging: warnings by default, `-v` info, `-vv` debug, `-vvv` trace,
/// `-q` errors only. `RUST_LOG` overrides all of them.
pub fn init(verbose: u8, quiet: bool, color: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(format!("venvoy={level},venvoy_python={level},venvoy_venv={level},venvoy_shell={level},venvoy_wheel={level},venvoy_dist={level}")));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .without_time()
        .with_target(verbose >= 3)
        .try_init();
}
