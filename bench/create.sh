#!/usr/bin/env bash
# Creating a venv without pip: venvoy vs uv venv vs virtualenv --no-seed vs
# python -m venv --without-pip, same interpreter, warm caches, one hyperfine run.
# Each run's env is renamed aside (deleted at the end), and `sync` runs
# before each run: deleting files just before a run makes ext4 (mounted
# with `discard` here) slow for every tool, and no real create follows a mass delete.
# Usage: bash bench/setup.sh && bash bench/create.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-$(pyenv root)/versions/3.12.1/bin/python3.12}
VENVOY=$PWD/target/release/venvoy
PEERS=$PWD/bench/.peers/bin
OUT=$(mktemp -d /tmp/venvoy-bench-create.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
# Keep the benchmark's envs out of the user's registry of project envs.
export VENVOY_DATA_DIR=$OUT/data
# Warm every tool's caches once.
"$VENVOY" create --without-pip -p "$PY" "$OUT/warm-venvoy" -q
"$PEERS/uv" venv -q -p "$PY" "$OUT/warm-uv"
"$PEERS/virtualenv" -q --no-seed -p "$PY" "$OUT/warm-virtualenv"
mkdir -p bench/results "$OUT/old"
hyperfine -N --warmup 5 --runs "${RUNS:-50}" \
  --prepare "bash -c 'if [ -e $OUT/env ]; then mv $OUT/env $OUT/old/\$(date +%s%N); fi; sync'" \
  --export-markdown bench/results/create.md \
  -n venvoy "$VENVOY create --without-pip -q -p $PY $OUT/env" \
  -n "uv venv" "$PEERS/uv venv -q -p $PY $OUT/env" \
  -n "virtualenv --no-seed" "$PEERS/virtualenv -q --no-seed -p $PY $OUT/env" \
  -n "python -m venv --without-pip" "$PY -m venv --without-pip $OUT/env"
