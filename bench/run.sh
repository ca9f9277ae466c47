#!/usr/bin/env bash
# `venvoy run`'s overhead over running a program directly, beside `uv run`:
# `true` (the cheapest program, so only the overhead shows), warm caches,
# one hyperfine run, inside a project with a `.venv`.
# Usage: bash bench/setup.sh && bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENVOY=$PWD/target/release/venvoy
UV=$PWD/bench/.peers/bin/uv
PY=${1:-$(pyenv root)/versions/3.12.1/bin/python3.12}
DIR=$(mktemp -d /tmp/venvoy-bench-run.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
# Keep the benchmark's env out of the user's registry of project envs.
export VENVOY_DATA_DIR=$DIR/data
cd "$DIR"
"$VENVOY" create -q --without-pip -p "$PY" .venv
"$UV" run --no-project true  # warm uv's cache
mkdir -p "$OLDPWD/bench/results"
hyperfine -N --warmup 20 --runs "${RUNS:-300}" \
  --export-markdown "$OLDPWD/bench/results/run.md" \
  -n "true (directly)" "/usr/bin/true" \
  -n "venvoy run true" "$VENVOY run true" \
  -n "uv run --no-project true" "$UV run --no-project true"
