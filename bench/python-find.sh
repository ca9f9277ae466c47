#!/usr/bin/env bash
# `venvoy python find 3.12` vs `uv python find 3.12`, warm caches, side by side.
# Two set-ups, each one hyperfine run:
#   shims:  the machine's PATH with pyenv's shims, every pyenv version enabled
#           through PYENV_VERSION (a pyenv user's shell);
#   direct: PATH holding each pyenv version's bin directory, no shims.
# Usage: bash bench/setup.sh && bash bench/python-find.sh [REQUEST]
set -euo pipefail
cd "$(dirname "$0")/.."
REQ=${1:-3.12}
VENVOY=$PWD/target/release/venvoy
UV=$PWD/bench/.peers/bin/uv
mkdir -p bench/results
PYENV_ROOT=$(pyenv root)
versions=$(pyenv versions --bare --skip-aliases | grep -v /)
export PYENV_VERSION=$(echo "$versions" | tr '\n' ':' | sed 's/:$//')

run() {
  local name=$1
  "$VENVOY" python find "$REQ" >/dev/null
  "$UV" python find "$REQ" >/dev/null
  hyperfine -N --warmup 10 --runs "${RUNS:-200}" \
    --export-markdown "bench/results/python-find-$name.md" \
    "$VENVOY python find $REQ" \
    "$UV python find $REQ"
}

echo "### set-up: shims (PATH=$PATH)"
run shims

direct=$(echo "$versions" | tac | sed "s|^|$PYENV_ROOT/versions/|; s|$|/bin|" | tr '\n' ':')
PATH="${direct}/usr/local/bin:/usr/bin:/bin" run direct
