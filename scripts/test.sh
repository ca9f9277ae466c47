#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs the shells and tools the
# tests drive, then checks formatting, lints, and runs every test; then builds
# the wheel and checks that it installs and runs; last, fuzzes every
# cargo-fuzz target for a bounded time (scripts/fuzz.sh).
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -- FILTER  # only tests whose name matches FILTER
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> installing test tools (shells, strace)"
bash scripts/install-test-tools.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "==> cargo test"
shift_args=()
if [ "${1:-}" = "--" ]; then shift; shift_args=("$@"); fi
cargo test --workspace --locked -- "${shift_args[@]}"

# After the test suite: the wheel users install (maturin + zig, manylinux_2_17),
# its glibc symbol check, and pip / pipx / uv tool installs of it, offline.
# Skipped when only some tests were asked for.
if [ ${#shift_args[@]} -gt 0 ]; then
  echo "==> wheel: skipped (a test filter was given)"
else
  echo "==> wheel: build and glibc check (scripts/build-wheel.sh)"
  bash scripts/build-wheel.sh
  echo "==> wheel: pip, pipx and uv tool install (scripts/check-wheel-install.sh)"
  bash scripts/check-wheel-install.sh
  # Last: every cargo-fuzz target for FUZZ_SECONDS (20) each, nightly or
  # RUSTC_BOOTSTRAP=1 (scripts/fuzz.sh); a finding fails the run.
  echo "==> fuzz: every target, ${FUZZ_SECONDS:-20}s each (scripts/fuzz.sh)"
  bash scripts/fuzz.sh
fi
