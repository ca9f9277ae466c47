#!/usr/bin/env bash
# Installs the wheel that scripts/build-wheel.sh left in dist/ the three ways
# users install tools, and runs the installed `venvoy` each time:
#   1. pip, into a fresh venv that venvoy (target/debug) creates; then
#      `venvoy --version`, `venvoy --version -v`, and `venvoy create` from that copy;
#   2. `pipx install` (pipx from PyPI, in the scratch venv target/wheel-tools);
#   3. `uv tool install` (uv from bench/.peers, target/peers or PATH).
# Every install is offline (`--no-index`, `PIP_NO_INDEX`, `--offline`), and
# runs without a network at all (`unshare --net`) where the system allows it.
# Nothing outside a temporary directory is touched: HOME, the XDG dirs and
# every tool's home and cache point into it.
#
#   bash scripts/check-wheel-install.sh [WHEEL]
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

fail() { echo "error: $*" >&2; exit 1; }

WHEEL=${1:-}
if [ -z "$WHEEL" ]; then
  shopt -s nullglob
  wheels=(dist/venvoy-*.whl)
  shopt -u nullglob
  [ ${#wheels[@]} -eq 1 ] || fail "expected one wheel in dist/, found ${#wheels[@]}; run scripts/build-wheel.sh first"
  WHEEL=${wheels[0]}
fi
WHEEL=$(realpath "$WHEEL")
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
COMMIT=$(git rev-parse HEAD 2>/dev/null || true)

cargo build -q --locked -p venvoy
VENVOY_DEV=$REPO/target/debug/venvoy

WORK=$(mktemp -d "${TMPDIR:-/tmp}/venvoy-wheel-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home XDG_CACHE_HOME=$WORK/home/.cache XDG_DATA_HOME=$WORK/home/.local/share \
  XDG_CONFIG_HOME=$WORK/home/.config VENVOY_CACHE_DIR=$WORK/venvoy-cache
unset VIRTUAL_ENV VENVOY_HOME WORKON_HOME PIP_INDEX_URL PIP_EXTRA_INDEX_URL
mkdir -p "$HOME"

# Run a command with no network, when the kernel lets us make a namespace.
if unshare --net true 2>/dev/null; then offline() { unshare --net "$@"; }; NET="no network"
else offline() { "$@"; }; NET="offline flags only"; fi

# The installed venvoy must be the wheel's, say its version and the commit it
# was built from, and make a working venv.
check_installed() {
  local how=$1 exe=$2
  [ -x "$exe" ] || fail "$how: no \`venvoy\` at $exe"
  # Run by name, from the directory the installer puts on PATH.
  local out
  out=$(PATH="$(dirname "$exe"):$PATH" venvoy --version)
  [ "$out" = "venvoy $VERSION" ] || fail "$how: \`venvoy --version\` printed '$out', expected 'venvoy $VERSION'"
  if [ -n "$COMMIT" ]; then
    "$exe" --version -v | grep -qx "commit-hash: $COMMIT" \
      || fail "$how: \`venvoy --version -v\` does not name commit $COMMIT"
  fi
  local env=$WORK/made-by-$how
  "$exe" -q create "$env"
  "$env/bin/python" -c 'import sys, pip; assert sys.prefix != sys.base_prefix, sys.prefix' \
    || fail "$how: the venv that the installed venvoy made does not run"
  echo "ok: $how: $("$exe" --version) from $exe; \`venvoy create\` made a working venv"
}

# 1. pip, into a fresh venv made by venvoy.
"$VENVOY_DEV" -q create "$WORK/pip-env"
offline "$WORK/pip-env/bin/python" -m pip install -q --no-index --disable-pip-version-check "$WHEEL"
check_installed pip "$WORK/pip-env/bin/venvoy"
"$WORK/pip-env/bin/venvoy" --version -v | sed 's/^/    /'

# 2. pipx.
PIPX=$REPO/target/wheel-tools/bin/pipx
[ -x "$PIPX" ] || fail "no pipx at $PIPX; run scripts/build-wheel.sh, which installs it"
# pipx brings its shared venv's pip up to date first: from the wheel that
# build-wheel.sh downloaded, as nothing may come from an index here.
PIPX_HOME=$WORK/pipx PIPX_BIN_DIR=$WORK/pipx-bin PIPX_MAN_DIR=$WORK/pipx-man PIP_NO_INDEX=1 \
  PIP_FIND_LINKS=$REPO/target/wheel-tools/wheels PIP_DISABLE_PIP_VERSION_CHECK=1 \
  offline "$PIPX" install --quiet "$WHEEL"
check_installed pipx "$WORK/pipx-bin/venvoy"

# 3. uv tool install.
UV=""
for candidate in bench/.peers/bin/uv target/peers/bin/uv "$(command -v uv || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then UV=$(realpath "$candidate"); break; fi
done
[ -n "$UV" ] || fail "uv not found (bench/.peers, target/peers, PATH); scripts/install-test-tools.sh installs it"
UV_TOOL_DIR=$WORK/uv-tools UV_TOOL_BIN_DIR=$WORK/uv-bin UV_CACHE_DIR=$WORK/uv-cache UV_PYTHON_DOWNLOADS=never \
  offline "$UV" tool install --quiet --offline "$WHEEL"
check_installed uv-tool "$WORK/uv-bin/venvoy"

echo "wheel install checks passed ($NET): pip, pipx, uv tool install of $(basename "$WHEEL")"
