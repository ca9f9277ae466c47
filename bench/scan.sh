#!/usr/bin/env bash
# `venvoy scan DIR` vs `fd -HI --glob pyvenv.cfg DIR` vs `find DIR -name
# pyvenv.cfg`, one hyperfine run, on a generated tree of about 20 000
# directories holding 50 envs (stdlib venvs without pip, spread over 20
# projects). venvoy does more than the other two: it reads every env's facts
# (creator, Python, project, health) and its disk use; it does less walking
# (it never enters an env it found, nor `.git`/`node_modules`).
# Usage: bash bench/setup.sh && bash bench/scan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENVOY=$PWD/target/release/venvoy
command -v fdfind >/dev/null 2>&1 || command -v fd >/dev/null 2>&1 \
  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fd-find >/dev/null; }
FD=$(command -v fdfind || command -v fd)
PY=${BENCH_PYTHON:-/usr/bin/python3}
TREE=${TREE:-$PWD/target/bench-scan-tree}
mkdir -p bench/results

if [ ! -f "$TREE/.complete" ]; then
  rm -rf "$TREE"
  "$PY" - "$TREE" <<'PY'
import os, subprocess, sys
root = sys.argv[1]
dirs = 0
envs = 0
for p in range(20):
    proj = os.path.join(root, f"project{p:02}")
    # 1 000 directories per project: 10 packages x 10 modules x 10 leaves.
    for a in range(10):
        for b in range(10):
            for c in range(10):
                os.makedirs(os.path.join(proj, "src", f"pkg{a}", f"mod{b}", f"leaf{c}"), exist_ok=True)
                dirs += 1
    open(os.path.join(proj, "pyproject.toml"), "w").write(f'[project]\nname = "p{p}"\n')
    # Two or three envs per project: `.venv` and some tox envs.
    for name in [".venv", ".tox/py311", ".tox/lint"][: 3 if p % 2 == 0 else 2]:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", os.path.join(proj, name)], check=True)
        envs += 1
print(f"{dirs} directories, {envs} envs", file=sys.stderr)
PY
  touch "$TREE/.complete"
fi
echo "tree: $(find "$TREE" -type d | wc -l) directories, $(find "$TREE" -name pyvenv.cfg | wc -l) envs"
"$VENVOY" scan "$TREE" >/dev/null
hyperfine -N --warmup 3 --runs "${RUNS:-30}" \
  --export-markdown bench/results/scan.md \
  "$VENVOY scan $TREE" \
  "$FD -HI --glob pyvenv.cfg $TREE" \
  "find $TREE -name pyvenv.cfg"
