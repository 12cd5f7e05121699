#!/usr/bin/env bash
# What `npm run test:cluster` needs, from Debian's packages: Slurm (slurmctld, slurmd,
# sbatch: the slurm-wlm packages), munge (Slurm's authentication) and GNU parallel.
# Installs only what is missing; needs root. The test starts and stops the daemons itself.
set -euo pipefail
missing=()
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null || missing+=(slurm-wlm)
command -v munged >/dev/null || missing+=(munge)
command -v parallel >/dev/null || missing+=(parallel)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "ci-setup: slurm-wlm, munge and parallel are installed"
  exit 0
fi
echo "ci-setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
