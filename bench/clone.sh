#!/usr/bin/env bash
# Cloning an env of 100+ MB: venvoy clone (default: reflink, else hardlink),
# venvoy clone --copy, virtualenv-clone and cp -a, one hyperfine run, warm
# page cache, written-back disk (`sync` before each run, so no run pays for
# the previous one's writes). Earlier copies are renamed out of the way, not
# deleted, until the end: ext4 allocates inodes slowly right after many were
# freed (`recently_deleted` in `ext4_mkdir`), which a real clone never
# follows, and which would make each run pay for the previous one. The env is made here: `python -m venv` (pip, setuptools), then
# real packages copied from the interpreter's own site-packages (with their
# .dist-info), topped up with copies of the stdlib until it passes SIZE_MB.
# Usage: bash bench/setup.sh && bash bench/clone.sh [PYTHON]
#        SOURCE_ENV=/path/to/env bash bench/clone.sh   (time cloning an existing env)
#        PACKAGES="numpy pandas scipy" bash bench/clone.sh   (an env installed from the index)
#
# Measured 2026-11-24 on the shared 2-core build VM (ext4, no reflink, so
# `venvoy clone` hardlinks), CPython 3.11.7, hyperfine 10 runs, means:
#
# | env | venvoy clone | --copy | virtualenv-clone | cp -a | virtualenv-clone / venvoy |
# |---|---|---|---|---|---|
# | default: 195 MB, 20550 files (pure-Python packages, 2097 `__pycache__`) | 192 ms | 411 ms | 1714 ms | 1549 ms | 8.9x |
# | SOURCE_ENV: 409 MB, 1498 files (large compiled extensions) | 16 ms | 585 ms | 1193 ms | 1204 ms | 74x |
#
# venvoy's time follows the number of files and directories (one `link` or
# `mkdir` each; `cp -al`, which fixes no paths, takes 640 ms on the first
# env), the others' the number of bytes. Runs right after many files were
# deleted anywhere on the disk are several times slower for every tool.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-$(pyenv root)/versions/3.11.7/bin/python3.11}
SIZE_MB=${SIZE_MB:-120}
VENVOY=$PWD/target/release/venvoy
PEERS=$PWD/bench/.peers/bin
OUT=$(mktemp -d /tmp/venvoy-bench-clone.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
# Keep the benchmark's clones out of the user's registry of project envs.
export VENVOY_DATA_DIR=$OUT/data

SRC=${SOURCE_ENV:-$OUT/src-env}
if [ -n "${PACKAGES:-}" ] && [ -z "${SOURCE_ENV:-}" ]; then
# A real scientific env from the index, e.g. PACKAGES="numpy pandas scipy".
"$PY" -m venv "$SRC"
"$SRC/bin/python" -m pip install -q $PACKAGES
elif [ -z "${SOURCE_ENV:-}" ]; then
"$PY" -m venv "$SRC"
"$SRC/bin/python" - "$SIZE_MB" <<'EOF'
import os, shutil, sys, sysconfig
target = int(sys.argv[1]) << 20
dest = sysconfig.get_paths()["purelib"]
base = sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_prefix})
def size(p):
    if os.path.isfile(p):
        return os.path.getsize(p)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)
total = size(os.path.join(sys.prefix, "lib"))
skip = {"pip", "setuptools", "_distutils_hack", "pkg_resources", "__pycache__"}
for name in sorted(os.listdir(base["purelib"])):
    if total >= target:
        break
    src = os.path.join(base["purelib"], name)
    if name.split("-")[0] in skip or name.endswith(".pth") or os.path.exists(os.path.join(dest, name)):
        continue
    if os.path.isdir(src):
        shutil.copytree(src, os.path.join(dest, name), symlinks=True)
    else:
        shutil.copy2(src, os.path.join(dest, name))
    total += size(src)
n = 0
while total < target:
    n += 1
    shutil.copytree(base["stdlib"], os.path.join(dest, f"stdlib_copy{n}"), symlinks=True,
                    ignore=shutil.ignore_patterns("site-packages", "test", "__pycache__"))
    total = size(os.path.join(sys.prefix, "lib"))
EOF
fi
FILES=$(find "$SRC" -type f | wc -l)
SIZE=$(du -sm "$SRC" | cut -f1)
echo "env: $SIZE MB, $FILES files ($SRC)"

DEST=$OUT/dest-env
mkdir -p bench/results "$OUT/old"
hyperfine --warmup 2 --runs "${RUNS:-10}" \
  --prepare "if [ -e '$DEST' ]; then mv '$DEST' '$OUT/old/'\$(date +%s%N); fi; sync" \
  --export-markdown "${RESULTS:-bench/results/clone.md}" \
  -n "venvoy clone" "$VENVOY clone -q '$SRC' '$DEST'" \
  -n "venvoy clone --copy" "$VENVOY clone -q --copy '$SRC' '$DEST'" \
  -n "virtualenv-clone" "$PEERS/virtualenv-clone '$SRC' '$DEST'" \
  -n "cp -a" "cp -a '$SRC' '$DEST'"
echo "env: $SIZE MB, $FILES files" >> "${RESULTS:-bench/results/clone.md}"
