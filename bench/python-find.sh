#!/usr/bin/env bash
# `venvoy python find 3.12` vs `uv python find 3.12`, warm caches, one hyperfine run.
# Usage: bash bench/python-find.sh [REQUEST]   (after bash bench/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
REQ=${1:-3.12}
VENVOY=$PWD/target/release/venvoy
UV=$PWD/bench/.peers/bin/uv
# Warm both caches.
"$VENVOY" python find "$REQ" >/dev/null
"$UV" python find "$REQ" >/dev/null
hyperfine -N --warmup 20 --runs 300 \
  --export-markdown bench/results/python-find.md \
  "$VENVOY python find $REQ" \
  "$UV python find $REQ"
