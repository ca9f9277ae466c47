#!/usr/bin/env bash
# How the listing commands scale: curves, not points. Each size is one
# hyperfine run (the peer side by side where there is one), warm caches.
#   packages:     `venvoy packages` vs `uv pip list` at 100, 400, 2000
#                 generated distributions (written as pip leaves them)
#   list, doctor: `venvoy list` and `venvoy doctor --all` at 30 and 300 envs
#   which:        `venvoy which python` with 10 and 100 PATH entries
#   python list:  `venvoy python list` vs `uv python list --only-installed`
#                 with the machine's interpreters
# Prints a markdown summary with the per-item cost (the slope between the
# smallest and largest size) and writes it to bench/results/scale.md.
# Usage: bash bench/setup.sh && bash bench/scale.sh [PYTHON]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-$(pyenv root)/versions/3.12.1/bin/python3.12}
VENVOY=$PWD/target/release/venvoy
UV=$PWD/bench/.peers/bin/uv
RUNS=${RUNS:-40}
OUT=$(mktemp -d /tmp/venvoy-bench-scale.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
mkdir -p bench/results
RES=$PWD/bench/results
# Keep every env and the registry out of the user's own.
export VENVOY_HOME=$OUT/home/envs VENVOY_DATA_DIR=$OUT/home/data VENVOY_CACHE_DIR=$OUT/home/cache
export UV_CACHE_DIR=$OUT/home/uv-cache UV_NO_CONFIG=1
unset VIRTUAL_ENV

hf() { # NAME, then hyperfine's commands
  local name=$1
  shift
  hyperfine -N --warmup 5 --runs "$RUNS" --style basic --export-json "$RES/scale-$name.json" "$@"
}

# Mean and standard deviation of command $2 in run $1, in ms.
mean() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.1f ± %.1f" % (r["mean"]*1e3, r["stddev"]*1e3))' "$RES/scale-$1.json" "$2"; }
# Per-item cost in µs of command $3 between runs $1 (n=$4) and $2 (n=$5).
slope() { "$PY" -c 'import json,sys; m=lambda f: json.load(open(f))["results"][int(sys.argv[3])]["mean"]; print("%.1f" % ((m(sys.argv[2])-m(sys.argv[1]))*1e6/(int(sys.argv[5])-int(sys.argv[4]))))' "$RES/scale-$1.json" "$RES/scale-$2.json" "$3" "$4" "$5"; }
# CPU time (user + system) of command $2 in run $1, in ms: steadier than the
# wall time when other work shares the cores.
cpu() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print("%.1f" % ((r["user"]+r["system"])*1e3))' "$RES/scale-$1.json" "$2"; }
cpuslope() { "$PY" -c 'import json,sys; m=lambda f: (lambda r: r["user"]+r["system"])(json.load(open(f))["results"][int(sys.argv[3])]); print("%.1f" % ((m(sys.argv[2])-m(sys.argv[1]))*1e6/(int(sys.argv[5])-int(sys.argv[4]))))' "$RES/scale-$1.json" "$RES/scale-$2.json" "$3" "$4" "$5"; }
ratio() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print("%.3g" % (r[0]["mean"]/r[1]["mean"]))' "$RES/scale-$1.json"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RES/scale-load.txt"

## packages
gen() { # ENV N: N distributions as pip leaves them (METADATA with a description,
  # INSTALLER, REQUESTED, WHEEL, RECORD, a module), some awkward names and versions.
  "$PY" - "$1" "$2" <<'PY'
import glob, os, sys
env, n = sys.argv[1], int(sys.argv[2])
site = glob.glob(os.path.join(env, "lib", "python3*", "site-packages"))[0]
for i in range(n):
    name = ["scale-pkg-%d", "Scale.Pkg_%d", "scale_pkg_x%d"][i % 3] % i
    version = ["1.%d.0", "2.0-%d", "%d.0rc1"][i % 3] % i
    dist = name.replace("-", "_")
    mod = "scale_mod_%d" % i
    os.makedirs(os.path.join(site, mod))
    with open(os.path.join(site, mod, "__init__.py"), "w") as f:
        f.write("X = %d\n" % i)
    di = os.path.join(site, "%s-%s.dist-info" % (dist, version))
    os.makedirs(di)
    files = {
        "METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: scale test %d\n"
        "Classifier: Programming Language :: Python :: 3\n\n%s" % (name, version, i, "Description line.\n" * 60),
        "INSTALLER": "pip\n",
        "WHEEL": "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        "RECORD": "%s/__init__.py,,\n" % mod,
    }
    if i % 2 == 0:
        files["REQUESTED"] = ""
    for fname, text in files.items():
        with open(os.path.join(di, fname), "w") as f:
            f.write(text)
PY
}
for n in 100 400 2000; do
  env=$OUT/pkgs-$n
  "$PY" -m venv --without-pip "$env"
  gen "$env" "$n"
  # The same names from both tools (uv normalises them; compare normalised).
  "$VENVOY" packages "$env" --freeze --all | cut -d= -f1 | tr 'A-Z' 'a-z' | sed -E 's/[-_.]+/-/g' | sort >"$OUT/venvoy.txt"
  "$UV" pip list -q --python "$env/bin/python" --format=freeze | cut -d= -f1 | tr 'A-Z' 'a-z' | sed -E 's/[-_.]+/-/g' | sort >"$OUT/uv.txt"
  diff "$OUT/venvoy.txt" "$OUT/uv.txt"
  echo "packages: $(wc -l <"$OUT/venvoy.txt") distributions, same names from both"
  hf "packages-$n" -n "venvoy packages" "$VENVOY packages $env" \
    -n "uv pip list" "$UV pip list --python $env/bin/python"
done
# The other output formats at the largest size, each against uv's own.
env=$OUT/pkgs-2000
hf "freeze-2000" -n "venvoy packages --freeze" "$VENVOY packages $env --freeze" \
  -n "uv pip freeze" "$UV pip freeze --python $env/bin/python"
hf "json-2000" -n "venvoy packages --json" "$VENVOY packages $env --json" \
  -n "uv pip list --format json" "$UV pip list --format json --python $env/bin/python"

# What `packages` asks of the kernel at 2000 distributions (strace -f -c).
: >"$RES/scale-strace.md"
if command -v strace >/dev/null 2>&1; then
  echo "| command | opens | stat calls | reads | writes | output bytes |" >>"$RES/scale-strace.md"
  echo "|---|---:|---:|---:|---:|---:|" >>"$RES/scale-strace.md"
  for mode in "" --freeze --json; do
    strace -f -c -o "$OUT/strace.txt" "$VENVOY" packages "$env" $mode >"$OUT/out.txt"
    awk -v m="packages $mode" -v b="$(wc -c <"$OUT/out.txt")" '
      $NF ~ /^(open|openat)$/ { o += $4 } $NF ~ /^(statx|newfstatat|fstat|lstat|stat)$/ { s += $4 }
      $NF == "read" { r += $4 } $NF == "write" { w += $4 }
      END { sub(/ +$/, "", m); printf "| `%s` | %d | %d | %d | %d | %d |\n", m, o, s, r, w, b }' "$OUT/strace.txt" >>"$RES/scale-strace.md"
  done
else
  echo "strace missing: no syscall table" | tee -a "$RES/scale-strace.md" >&2
fi

## list and doctor --all
made=0
for n in 30 300; do
  while [ "$made" -lt "$n" ]; do
    "$VENVOY" -q create --without-pip -p "$PY" -n "scale-env-$made" >/dev/null
    made=$((made + 1))
  done
  test "$("$VENVOY" list --names | wc -l)" -eq "$n"
  hf "list-$n" -n "venvoy list" "$VENVOY list"
  # doctor exits 1 when a check fails; the envs are healthy, but do not let a
  # warning on this machine stop the run.
  hf "doctor-$n" -i -n "venvoy doctor --all" "$VENVOY doctor --all"
done

## which python
mkdir -p "$OUT/path"
for n in 10 100; do
  p=""
  for i in $(seq 1 $((n - 1))); do
    mkdir -p "$OUT/path/d$i"
    p="$p$OUT/path/d$i:"
  done
  PATH="$p/usr/bin:/bin" hf "which-$n" -i -n "venvoy which python" "$VENVOY which python3" \
    -n "which -a (debianutils)" "/usr/bin/which -a python3"
done

## python list
"$VENVOY" python list >/dev/null
"$UV" python list --only-installed >/dev/null
hf "python-list" -n "venvoy python list" "$VENVOY python list" \
  -n "uv python list --only-installed" "$UV python list --only-installed"
interpreters=$("$VENVOY" python list | wc -l)

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RES/scale-load.txt"

{
  cat "$RES/scale-load.txt"
  echo
  echo "| job | size | venvoy (ms) | peer (ms) | venvoy / peer | CPU venvoy / peer (ms) |"
  echo "|---|---:|---:|---:|---:|---:|"
  for n in 100 400 2000; do
    echo "| packages vs \`uv pip list\` | $n dists | $(mean "packages-$n" 0) | $(mean "packages-$n" 1) | $(ratio "packages-$n") | $(cpu "packages-$n" 0) / $(cpu "packages-$n" 1) |"
  done
  echo "| \`packages --freeze\` vs \`uv pip freeze\` | 2000 dists | $(mean freeze-2000 0) | $(mean freeze-2000 1) | $(ratio freeze-2000) | $(cpu freeze-2000 0) / $(cpu freeze-2000 1) |"
  echo "| \`packages --json\` vs \`uv pip list --format json\` | 2000 dists | $(mean json-2000 0) | $(mean json-2000 1) | $(ratio json-2000) | $(cpu json-2000 0) / $(cpu json-2000 1) |"
  for n in 30 300; do echo "| \`list\` | $n envs | $(mean "list-$n" 0) | – | – | $(cpu "list-$n" 0) |"; done
  for n in 30 300; do echo "| \`doctor --all\` | $n envs | $(mean "doctor-$n" 0) | – | – | $(cpu "doctor-$n" 0) |"; done
  for n in 10 100; do
    echo "| \`which python3\` vs \`which -a\` | $n PATH entries | $(mean "which-$n" 0) | $(mean "which-$n" 1) | $(ratio "which-$n") | $(cpu "which-$n" 0) / $(cpu "which-$n" 1) |"
  done
  echo "| \`python list\` vs \`uv python list --only-installed\` | $interpreters lines | $(mean python-list 0) | $(mean python-list 1) | $(ratio python-list) | $(cpu python-list 0) / $(cpu python-list 1) |"
  echo
  echo "| per-item cost (slope between the sizes) | venvoy wall (µs) | peer wall (µs) | venvoy CPU (µs) | peer CPU (µs) |"
  echo "|---|---:|---:|---:|---:|"
  echo "| packages, per distribution (100 → 2000) | $(slope packages-100 packages-2000 0 100 2000) | $(slope packages-100 packages-2000 1 100 2000) (uv) | $(cpuslope packages-100 packages-2000 0 100 2000) | $(cpuslope packages-100 packages-2000 1 100 2000) |"
  echo "| \`list\`, per env (30 → 300) | $(slope list-30 list-300 0 30 300) | – | $(cpuslope list-30 list-300 0 30 300) | – |"
  echo "| \`doctor --all\`, per env (30 → 300) | $(slope doctor-30 doctor-300 0 30 300) | – | $(cpuslope doctor-30 doctor-300 0 30 300) | – |"
  echo "| \`which\`, per PATH entry (10 → 100) | $(slope which-10 which-100 0 10 100) | $(slope which-10 which-100 1 10 100) (which -a) | $(cpuslope which-10 which-100 0 10 100) | $(cpuslope which-10 which-100 1 10 100) |"
  echo
  cat "$RES/scale-strace.md"
} | tee "$RES/scale.md"
