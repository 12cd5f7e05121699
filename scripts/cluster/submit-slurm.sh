#!/usr/bin/env bash
# Submits a faultscale sweep to Slurm as a job array of TASKS shards and a merge
# job that runs once every task has succeeded (afterok):
#   scripts/cluster/submit-slurm.sh TASKS DIR [bench options...]
# e.g. scripts/cluster/submit-slurm.sh 4 results/westmere --target virtual --seed 7
# Shards go to DIR/shard-<task>.csv, the merged sweep to DIR.csv, Slurm's logs to
# DIR/slurm-*.out. DIR must be new or empty: one sweep per directory. The repository
# must be built and on a filesystem every node sees; SLURM_CONF and the usual sbatch
# variables (SBATCH_PARTITION, SBATCH_ACCOUNT, ...) apply.
set -euo pipefail

fail() { echo "submit-slurm: $*" >&2; exit 2; }
[[ $# -ge 2 ]] || fail "usage: $0 TASKS DIR [bench options...]"
tasks=$1 dir=$2
shift 2
[[ $tasks =~ ^[1-9][0-9]{0,2}$ ]] || fail "TASKS: '$tasks' is not allowed; give a whole number from 1 to 999"
if [[ -e $dir && -n $(ls -A "$dir") ]]; then fail "DIR: '$dir' is not empty; give each sweep a new directory"; fi
root=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f $root/dist/src/commands/bench.js ]] || fail "$root/dist is not built; run npm run build there first"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# sbatch prints "Submitted batch job <id>"; the id is its last word.
array_out=$(sbatch --array="0-$((tasks - 1))" --chdir="$root" --output="$dir/slurm-%A_%a.out" \
  "$root/scripts/cluster/sweep.sbatch" "$dir" "$@")
echo "$array_out"
array=${array_out##* }
# --kill-on-invalid-dep: if a task fails, the merge job is cancelled instead of waiting forever.
sbatch --dependency="afterok:$array" --kill-on-invalid-dep=yes --chdir="$root" \
  --output="$dir/slurm-%j-merge.out" "$root/scripts/cluster/merge.sbatch" "$dir"
