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
ratio() { "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print("%.3g" % (r[0]["mean"]/r[1]["mean"]))' "$RES/scale-$1.json"; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

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

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

{
  echo "| job | size | venvoy (ms) | peer (ms) | venvoy / peer |"
  echo "|---|---:|---:|---:|---:|"
  for n in 100 400 2000; do
    echo "| packages vs \`uv pip list\` | $n dists | $(mean "packages-$n" 0) | $(mean "packages-$n" 1) | $(ratio "packages-$n") |"
  done
  for n in 30 300; do echo "| \`list\` | $n envs | $(mean "list-$n" 0) | – | – |"; done
  for n in 30 300; do echo "| \`doctor --all\` | $n envs | $(mean "doctor-$n" 0) | – | – |"; done
  for n in 10 100; do
    echo "| \`which python3\` vs \`which -a\` | $n PATH entries | $(mean "which-$n" 0) | $(mean "which-$n" 1) | $(ratio "which-$n") |"
  done
  echo "| \`python list\` vs \`uv python list --only-installed\` | $interpreters lines | $(mean python-list 0) | $(mean python-list 1) | $(ratio python-list) |"
  echo
  echo "| per-item cost | venvoy (µs) | peer (µs) |"
  echo "|---|---:|---:|"
  echo "| packages, per distribution (100 → 2000) | $(slope packages-100 packages-2000 0 100 2000) | $(slope packages-100 packages-2000 1 100 2000) (uv) |"
  echo "| \`list\`, per env (30 → 300) | $(slope list-30 list-300 0 30 300) | – |"
  echo "| \`doctor --all\`, per env (30 → 300) | $(slope doctor-30 doctor-300 0 30 300) | – |"
  echo "| \`which\`, per PATH entry (10 → 100) | $(slope which-10 which-100 0 10 100) | $(slope which-10 which-100 1 10 100) (which -a) |"
} | tee "$RES/scale.md"
