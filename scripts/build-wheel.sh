#!/usr/bin/env bash
# Builds the `venvoy` wheel and sdist into dist/ and checks the wheel:
#   dist/venvoy-VERSION-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
#   dist/venvoy-VERSION.tar.gz
# maturin (`bindings = "bin"`, see pyproject.toml) builds the release binary
# and links it with zig against glibc 2.17, so it runs on any Linux from
# CentOS 7 / Debian 8 on; scripts/check-wheel-glibc.py then proves the binary
# needs no newer glibc symbol version than the tag claims.
#
# maturin, zig (the `ziglang` package) and pipx come from PyPI into a scratch
# venv, target/wheel-tools (with a pip wheel for pipx's offline use);
# nothing is installed system-wide. Needs a Python 3
# with `venv` (`$PYTHON`, else `python3`) and the Rust toolchain.
#
#   bash scripts/build-wheel.sh          # then: bash scripts/check-wheel-install.sh
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS=target/wheel-tools
MATURIN_VERSION=1.16.0
ZIG_VERSION=0.17.1
PIPX_VERSION=1.18.4
# pipx upgrades the pip of its shared venv on first use; this wheel, kept in
# target/wheel-tools/wheels, lets check-wheel-install.sh run pipx offline.
PIPX_PIP_VERSION=26.3

if ! "$TOOLS/bin/python" -c "
import importlib.metadata as m, sys
want = {'maturin': '$MATURIN_VERSION', 'ziglang': '$ZIG_VERSION', 'pipx': '$PIPX_VERSION'}
sys.exit(any(m.version(k) != v for k, v in want.items()))" 2>/dev/null; then
  echo "==> installing maturin, ziglang and pipx into $TOOLS"
  [ -x "$TOOLS/bin/pip" ] || "${PYTHON:-python3}" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q --disable-pip-version-check \
    "maturin==$MATURIN_VERSION" "ziglang==$ZIG_VERSION" "pipx==$PIPX_VERSION"
fi
if [ ! -f "$TOOLS/wheels/pip-$PIPX_PIP_VERSION-py3-none-any.whl" ]; then
  "$TOOLS/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary :all: \
    -d "$TOOLS/wheels" "pip==$PIPX_PIP_VERSION"
fi

# maturin finds zig through `python3 -m ziglang`: the tools venv goes first.
export PATH="$PWD/$TOOLS/bin:$PATH"

mkdir -p dist
rm -f dist/venvoy-*.whl dist/venvoy-*.tar.gz

echo "==> maturin build --release --zig --compatibility manylinux2014"
start=$SECONDS
maturin build --release --locked --zig --compatibility manylinux2014 --out dist
echo "    wheel built in $((SECONDS - start)) s"

echo "==> maturin sdist"
maturin sdist --out dist
# The sdist must hold the whole workspace its Cargo.lock describes.
rm -rf target/sdist-check && mkdir -p target/sdist-check
tar -xzf dist/venvoy-*.tar.gz -C target/sdist-check
cargo metadata --locked --offline --format-version 1 \
  --manifest-path target/sdist-check/venvoy-*/Cargo.toml >/dev/null
echo "    sdist: the workspace and its Cargo.lock are complete"

echo "==> checking the wheel's glibc symbol versions against its tag"
python scripts/check-wheel-glibc.py dist/venvoy-*.whl
ls -l dist/
