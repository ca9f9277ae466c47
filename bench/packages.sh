#!/usr/bin/env bash
# Listing installed distributions: `venvoy packages` vs `pip list` vs
# `uv pip list`, on one env with 45 distributions (pip + 44 tiny wheels built
# here and installed offline), warm caches, one hyperfine run.
# Usage: bash bench/setup.sh && bash bench/packages.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-$(pyenv root)/versions/3.12.1/bin/python3.12}
VENVOY=$PWD/target/release/venvoy
PEERS=$PWD/bench/.peers/bin
OUT=$(mktemp -d /tmp/venvoy-bench-packages.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

# 44 tiny pure-Python wheels.
"$PY" - "$OUT/wheels" <<'PY'
import base64, hashlib, os, sys, zipfile
out = sys.argv[1]
os.makedirs(out)
for i in range(44):
    name, version = "bench-pkg-%02d" % i, "1.%d.0" % i
    dist = name.replace("-", "_")
    di = "%s-%s.dist-info" % (dist, version)
    files = {
        dist + "/__init__.py": "X = %d\n" % i,
        di + "/METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: bench\n" % (name, version),
        di + "/WHEEL": "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    rec = []
    for p, c in files.items():
        d = base64.urlsafe_b64encode(hashlib.sha256(c.encode()).digest()).rstrip(b"=").decode()
        rec.append("%s,sha256=%s,%d" % (p, d, len(c.encode())))
    files[di + "/RECORD"] = "\n".join(rec + [di + "/RECORD,,"]) + "\n"
    with zipfile.ZipFile(os.path.join(out, "%s-%s-py3-none-any.whl" % (dist, version)), "w") as z:
        for p, c in files.items():
            z.writestr(p, c)
PY
"$PY" -m venv "$OUT/env"
# By name from a find-links directory, as from an index (no direct URLs).
names=$(cd "$OUT/wheels" && ls | sed 's/-[^-]*-py3-none-any.whl$//')
# shellcheck disable=SC2086
"$OUT/env/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$OUT/wheels" $names
count=$("$VENVOY" packages "$OUT/env" --json | grep -c '"name"')
echo "distributions in the env: $count"

# Same answer from all three (names and versions).
"$VENVOY" packages "$OUT/env" --freeze --all >"$OUT/venvoy.txt"
"$OUT/env/bin/pip" list --format=freeze --disable-pip-version-check >"$OUT/pip.txt"
diff <(sort -f "$OUT/venvoy.txt") <(sort -f "$OUT/pip.txt")

# Warm uv's interpreter cache once.
"$PEERS/uv" pip list -q --python "$OUT/env/bin/python" >/dev/null
mkdir -p bench/results
hyperfine -N --warmup 5 --runs "${RUNS:-50}" \
  --export-markdown bench/results/packages.md \
  -n "venvoy packages" "$VENVOY packages $OUT/env" \
  -n "uv pip list" "$PEERS/uv pip list --python $OUT/env/bin/python" \
  -n "pip list" "$OUT/env/bin/pip list --disable-pip-version-check"
