#!/usr/bin/env bash
# Install the real shells that the venvoy-shell integration tests drive.
#
# Idempotent: every step checks first and does nothing when the tool is
# already there, so a second run takes a second or two.
#
#   Debian packages: bash zsh dash mksh ksh fish tcsh csh busybox
#   nushell:         npm package @nushell/linux-x64 (or -arm64) -> $TOOLS/nu/bin/nu
#   xonsh:           PyPI, in a scratch venv          -> $TOOLS/xonsh-venv/bin/xonsh
#
# $TOOLS is $VENVOY_TEST_TOOLS, else <repo>/target/test-tools. The tests look
# for shells on PATH first and then in $TOOLS (same defaults).
set -euo pipefail

repo_root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
tools=${VENVOY_TEST_TOOLS:-$repo_root/target/test-tools}
mkdir -p -- "$tools"

log() { printf 'install-test-shells: %s\n' "$*" >&2; }

# --- Debian packages --------------------------------------------------------
# python3-venv: the xonsh scratch venv below needs ensurepip.
apt_wanted=(bash zsh dash mksh ksh fish tcsh csh busybox python3-venv)
missing=()
for pkg in "${apt_wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    if ! command -v apt-get >/dev/null; then
        log "apt-get not found; cannot install: ${missing[*]}"
        exit 1
    fi
    sudo=()
    if [ "$(id -u)" != 0 ]; then sudo=(sudo); fi
    log "apt-get install ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    # Install what the archive has; a package the release lacks is reported
    # and the tests for that shell then skip (or fail under CI).
    available=()
    for pkg in "${missing[@]}"; do
        if apt-cache show "$pkg" >/dev/null 2>&1; then
            available+=("$pkg")
        else
            log "package $pkg is not available here"
        fi
    done
    if ((${#available[@]})); then
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
            "${available[@]}" >/dev/null
    fi
fi

# --- nushell from npm -------------------------------------------------------
nu_dir=$tools/nu
case $(uname -m) in
    aarch64 | arm64) nu_pkg=@nushell/linux-arm64 ;;
    *) nu_pkg=@nushell/linux-x64 ;;
esac
if [ ! -x "$nu_dir/bin/nu" ]; then
    log "npm install $nu_pkg"
    mkdir -p -- "$nu_dir/bin"
    npm install --silent --no-audit --no-fund --prefix "$nu_dir/pkg" "$nu_pkg" >/dev/null 2>&1 \
        || npm install --no-audit --no-fund --prefix "$nu_dir/pkg" "$nu_pkg"
    found=$(find "$nu_dir/pkg/node_modules/@nushell" -type f -name nu | head -n 1)
    if [ -z "$found" ]; then
        log "no nu binary inside $nu_pkg"
        exit 1
    fi
    chmod +x -- "$found"
    ln -sf -- "$found" "$nu_dir/bin/nu"
fi

# --- xonsh from PyPI --------------------------------------------------------
xonsh_venv=$tools/xonsh-venv
if [ ! -x "$xonsh_venv/bin/xonsh" ]; then
    log "pip install xonsh into $xonsh_venv"
    python=/usr/bin/python3
    [ -x "$python" ] || python=$(command -v python3)
    "$python" -m venv -- "$xonsh_venv"
    "$xonsh_venv/bin/python" -m pip install --quiet --disable-pip-version-check xonsh
fi

log "ready: tools in $tools"
