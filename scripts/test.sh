#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs the shells and tools the
# tests drive, then checks formatting, lints, and runs every test.
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
