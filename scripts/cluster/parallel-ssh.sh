#!/usr/bin/env bash
# A faultscale sweep over plain ssh hosts with GNU parallel: shard K of SHARDS runs
# on the next free host (one at a time per host, each using all its cores), its CSV
# and sidecar are copied back, and the shards are merged here:
#   scripts/cluster/parallel-ssh.sh HOSTS SHARDS DIR [bench options...]
# HOSTS is GNU parallel's --sshloginfile: one ssh login per line (user@host, or ':'
# for this machine; 'N/host' runs N shards there at once). Every host needs Node and
# this repository, built, at the same path as here. Shards go to DIR/shard-K.csv on
# the host that ran them and come back to the same path here; the merged sweep is
# written to DIR.csv. DIR must be new or empty.
set -euo pipefail

fail() { echo "parallel-ssh: $*" >&2; exit 2; }
[[ $# -ge 3 ]] || fail "usage: $0 HOSTS SHARDS DIR [bench options...]"
hosts=$1 shards=$2 dir=$3
shift 3
[[ -r $hosts ]] || fail "HOSTS: cannot read '$hosts'"
[[ $shards =~ ^[1-9][0-9]{0,2}$ ]] || fail "SHARDS: '$shards' is not allowed; give a whole number from 1 to 999"
if [[ -e $dir && -n $(ls -A "$dir") ]]; then fail "DIR: '$dir' is not empty; give each sweep a new directory"; fi
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# The line. Each shard's command is one shell line on its host: the options quoted
# here (printf %q), its folder made there; --halt stops the sweep at the first shard
# that fails, so a partial set is never merged.
q_dir=$(printf %q "$dir")
q_opts=''
if [[ $# -gt 0 ]]; then q_opts=$(printf ' %q' "$@"); fi
parallel --sshloginfile "$hosts" --jobs 1 --halt now,fail=1 --workdir "$root" \
  --return "$dir/shard-{}.csv" --return "$dir/shard-{}.runs.csv" \
  "mkdir -p $q_dir && node dist/src/commands/bench.js --shard {}/$shards --csv $q_dir/shard-{}.csv$q_opts" ::: $(seq 1 "$shards")

node "$root/dist/src/commands/merge.js" "$dir" --out "$dir.csv"
