#!/usr/bin/env bash
# Creating a venv with pip: venvoy create (pip seeded from its warm cache) vs
# uv venv --seed (as users run it, and --offline, its best case) vs
# virtualenv (pip from its embedded wheels) vs python -m venv (ensurepip),
# same interpreter, warm caches, one hyperfine run.
# Each run's env is renamed aside (deleted at the end), and `sync` runs
# before each run: deleting files just before a run makes ext4 (mounted
# with `discard` here) slow for every tool, and no real create follows a mass delete.
# Usage: bash bench/setup.sh && bash bench/create-seeded.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-$(pyenv root)/versions/3.12.1/bin/python3.12}
VENVOY=${VENVOY:-$PWD/target/release/venvoy}
PEERS=$PWD/bench/.peers/bin
OUT=$(mktemp -d /tmp/venvoy-bench-seeded.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
# venvoy records the envs it creates: keep the benchmark's out of the user's list.
export XDG_DATA_HOME=$OUT/data
# Warm every tool's caches once (venvoy: `cache update` puts the newest pip in
# its cache; creating once unpacks it, and a check 2 s later records the
# unpacked files as verified, as it would be in everyday use).
"$VENVOY" cache update -q pip || echo "venvoy cache update failed (offline?): seeding from ensurepip" >&2
"$VENVOY" create -q -p "$PY" "$OUT/warm-venvoy"
sleep 2.5
"$VENVOY" create -q -p "$PY" "$OUT/warm-venvoy-2"
"$PEERS/uv" venv -q --seed -p "$PY" "$OUT/warm-uv"
"$PEERS/virtualenv" -q -p "$PY" "$OUT/warm-virtualenv"
echo "pip seeded by each tool:"
for tool in venvoy uv virtualenv; do
  printf '  %-11s %s\n' "$tool" "$("$OUT/warm-$tool/bin/python" -m pip --version | cut -d' ' -f1-2)"
done
mkdir -p bench/results "$OUT/old"
hyperfine -N --warmup 3 --runs "${RUNS:-20}" \
  --prepare "bash -c 'if [ -e $OUT/env ]; then mv $OUT/env $OUT/old/\$(date +%s%N); fi; sync'" \
  --export-markdown bench/results/create-seeded.md \
  -n "venvoy create" "$VENVOY create -q -p $PY $OUT/env" \
  -n "uv venv --seed" "$PEERS/uv venv -q --seed -p $PY $OUT/env" \
  -n "uv venv --seed --offline" "$PEERS/uv venv -q --seed --offline -p $PY $OUT/env" \
  -n "virtualenv" "$PEERS/virtualenv -q -p $PY $OUT/env" \
  -n "python -m venv" "$PY -m venv $OUT/env"
