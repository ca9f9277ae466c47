#!/usr/bin/env bash
# The cost of venvoy's `--auto` prompt hook, per prompt, against direnv's hook
# (`direnv export bash` in a directory without `.envrc`), in bash and zsh.
# Each command runs 1000 prompts' worth of hook calls in one shell; divide by
# 1000 for the cost of one prompt. Cases:
#   unchanged: the directory did not change since the last prompt (the common case);
#   cd-plain:  every prompt is in a new directory with no `.venv` (walked in the shell);
#   direnv:    what direnv's hook costs on every prompt.
# Usage: bash bench/setup.sh && bash bench/prompt-hook.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENVOY=$PWD/target/release/venvoy
DIR=$(mktemp -d /tmp/venvoy-bench-hook.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
mkdir -p "$DIR/a/b/c/d" "$DIR/e/f/g/h"
mkdir -p bench/results
N=1000
for sh in bash zsh; do
  init="eval \"\$($VENVOY init $sh --auto)\"; cd $DIR/a/b/c/d; __venvoy_auto"
  hyperfine -N --warmup 2 --runs "${RUNS:-10}" \
    --export-markdown "bench/results/prompt-hook-$sh.md" \
    -n "$sh: empty loop" "$sh -c 'cd $DIR/a/b/c/d; i=0; while [ \$i -lt $N ]; do i=\$((i+1)); done'" \
    -n "$sh: venvoy hook, unchanged dir" "$sh -c '$init; i=0; while [ \$i -lt $N ]; do __venvoy_auto; i=\$((i+1)); done'" \
    -n "$sh: venvoy hook, cd every prompt" "$sh -c '$init; i=0; while [ \$i -lt $N ]; do if [ \$((i%2)) = 0 ]; then cd $DIR/e/f/g/h; else cd $DIR/a/b/c/d; fi; __venvoy_auto; i=\$((i+1)); done'" \
    -n "$sh: direnv hook" "$sh -c 'cd $DIR/a/b/c/d; i=0; while [ \$i -lt $N ]; do eval \"\$(direnv export $sh)\"; i=\$((i+1)); done'"
done
