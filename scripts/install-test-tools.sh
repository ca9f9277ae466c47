#!/usr/bin/env bash
# Installs what the tests use beyond the Rust toolchain: strace (to count
# process spawns), Debian's PyPy with its venv support (pypy3, pypy3-venv:
# the PyPy tests), and every shell the activation tests drive (through
# install-test-shells.sh). Quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v strace >/dev/null 2>&1 || missing+=(strace)
# PyPy and the wheels its ensurepip installs (/usr/share/python-wheels).
command -v pypy3 >/dev/null 2>&1 || missing+=(pypy3)
dpkg -s pypy3-venv >/dev/null 2>&1 || missing+=(pypy3-venv)
# Debian's pip: the PEP 668 tests read its externally managed Python.
[ -x /usr/bin/pip ] || missing+=(python3-pip)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

if [ -f scripts/install-test-shells.sh ]; then
  bash scripts/install-test-shells.sh
fi

# uv and virtualenv, for the tests that read envs they make (`venvoy packages`,
# `venvoy info`), and pipenv, for the test that `pipenv --venv` follows the
# `.venv` files venvoy writes: from bench/.peers (bench/setup.sh) or PATH,
# else installed into a scratch venv at target/peers, where the tests look.
have() { [ -x "bench/.peers/bin/$1" ] || [ -x "target/peers/bin/$1" ] || command -v "$1" >/dev/null 2>&1; }
if ! have uv || ! have virtualenv || ! have pipenv; then
  PEER_PY=$(command -v python3 || true)
  if [ -n "$PEER_PY" ]; then
    [ -x target/peers/bin/pip ] || "$PEER_PY" -m venv target/peers
    target/peers/bin/pip install -q --disable-pip-version-check uv virtualenv pipenv
  else
    echo "install-test-tools: no python3 on PATH: uv, virtualenv and pipenv not installed (the tests that need them will fail under CI=true or skip)" >&2
  fi
fi
