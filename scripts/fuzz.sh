#!/usr/bin/env bash
# Run every cargo-fuzz target of the workspace for a bounded time each.
#
#   bash scripts/fuzz.sh                 # every target, FUZZ_SECONDS (20) each
#   FUZZ_SECONDS=300 bash scripts/fuzz.sh pointer script_header
#
# A target name given that no crate has is an error (exit 1, before any run).
#
# cargo-fuzz comes from crates.io (installed into target/fuzz-tools when it is
# not on PATH). It needs nightly compiler flags: the nightly toolchain when
# rustup has one, else the stable compiler with RUSTC_BOOTSTRAP=1. A crash,
# a panic or a failed assertion stops the run with a non-zero exit; the input
# that caused it is kept under crates/<crate>/fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
seconds="${FUZZ_SECONDS:-20}"
tools="$root/target/fuzz-tools"
export PATH="$tools/bin:$HOME/.cargo/bin:$PATH"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> fuzz: installing cargo-fuzz into $tools"
  cargo install --locked cargo-fuzz --root "$tools"
fi

toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  echo "==> fuzz: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
fi

wanted=("$@")
# Every target of every crate, as "crate_dir target", listed before any run so
# that a misspelt target name fails at once.
found=()
for fuzz_dir in crates/*/fuzz; do
  crate_dir="${fuzz_dir%/fuzz}"
  for target in $(cd "$crate_dir" && cargo "${toolchain[@]}" fuzz list); do
    found+=("$crate_dir $target")
  done
done
unknown=()
for name in "${wanted[@]}"; do
  hit=0
  for entry in "${found[@]}"; do
    if [ "${entry##* }" = "$name" ]; then hit=1; fi
  done
  if [ "$hit" -eq 0 ]; then unknown+=("$name"); fi
done
if [ ${#unknown[@]} -gt 0 ]; then
  echo "fuzz: no such target: ${unknown[*]} (targets: ${found[*]##* })" >&2
  exit 1
fi

ran=0
for entry in "${found[@]}"; do
  crate_dir="${entry% *}"
  target="${entry##* }"
  if [ ${#wanted[@]} -gt 0 ] && [[ ! " ${wanted[*]} " == *" $target "* ]]; then
    continue
  fi
  echo "==> fuzz: $crate_dir $target (${seconds}s)"
  # Debug assertions on, so an arithmetic overflow is a finding too.
  log="$root/target/fuzz/$target.log"
  mkdir -p "$root/target/fuzz"
  if ! (cd "$crate_dir" && cargo "${toolchain[@]}" fuzz run --debug-assertions \
    --target-dir "$root/target/fuzz" "$target" -- \
    -max_total_time="$seconds" -max_len=8192 -print_final_stats=1) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz: \`$target\` failed (full log: $log)" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|new_units_added)' "$log" | sed 's/^/    /' || true
  ran=$((ran + 1))
done

if [ "$ran" -eq 0 ]; then
  echo "fuzz: no target ran (asked for: ${wanted[*]:-all})" >&2
  exit 1
fi
echo "==> fuzz: $ran targets ran ${seconds}s each, nothing found"
