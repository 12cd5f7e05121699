#!/usr/bin/env bash
# Runs sweep.yaml's Indexed Job, waits for every shard, then the merge Job:
#   scripts/cluster/k8s/run.sh [TIMEOUT]   (TIMEOUT for the sweep, kubectl's form; default 24h)
# kubectl's current context and namespace apply. Delete both Jobs (kubectl delete -f)
# and the shards' folder on the volume before running the same Job names again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
timeout=${1:-24h}
kubectl apply -f "$here/sweep.yaml"
kubectl wait --for=condition=complete --timeout="$timeout" job/faultscale-sweep
kubectl apply -f "$here/merge.yaml"
kubectl wait --for=condition=complete --timeout=10m job/faultscale-merge
kubectl logs job/faultscale-merge
