#!/usr/bin/env bash
# Installs what the benchmarks compare against: hyperfine (Debian), and uv,
# virtualenv and virtualenv-clone from PyPI into a scratch venv at
# bench/.peers (never vendored). Builds venvoy in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null 2>&1 || ! command -v direnv >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine direnv >/dev/null
fi
PY=${BENCH_PYTHON:-/usr/bin/python3}
if [ ! -x bench/.peers/bin/uv ] || [ ! -x bench/.peers/bin/virtualenv ]; then
  "$PY" -m venv bench/.peers
  bench/.peers/bin/python -m pip install -q --upgrade pip
  bench/.peers/bin/python -m pip install -q uv virtualenv virtualenv-clone
fi
cargo build --release -q
echo "hyperfine: $(hyperfine --version)"
echo "direnv: $(direnv --version)"
echo "uv: $(bench/.peers/bin/uv --version)"
echo "virtualenv: $(bench/.peers/bin/virtualenv --version)"
echo "venvoy: $(target/release/venvoy --version)"
