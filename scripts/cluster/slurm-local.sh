#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the cluster test:
#   scripts/cluster/slurm-local.sh start DIR   writes DIR/slurm.conf (this host on 127.0.0.1, every core,
#                                              ports 16817-16818), starts munged, slurmctld and slurmd with
#                                              all their state, sockets, logs and pid files under DIR,
#                                              and returns once the node takes jobs
#   scripts/cluster/slurm-local.sh stop DIR    stops the three daemons by the pids in DIR's pid files
# Nothing outside DIR is written; Slurm's clients find the cluster through SLURM_CONF=DIR/slurm.conf.
# Needs root (slurmd starts each job as its user) and Debian's slurm-wlm and munge (ci-setup.sh).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
conf="$dir/slurm.conf"
pidfiles=("$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid")

# Waits up to $2 seconds for the command in $1 to succeed.
wait_for() {
  local what=$1 limit=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    if eval "$what"; then return 0; fi
    sleep 0.1
  done
  return 1
}

start() {
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  # munged refuses a key others can read, and a socket directory others cannot reach.
  chmod 711 "$dir/munge"
  [[ -f $dir/munge/munge.key ]] || { head -c 1024 /dev/urandom >"$dir/munge/munge.key"; chmod 400 "$dir/munge/munge.key"; }
  local host cpus
  host=$(hostname -s)
  cpus=$(nproc)
  cat >"$conf" <<CONF
ClusterName=faultscale-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups: track a job's processes by their parent, and bind them to no CPU.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Each array task takes one CPU, not the whole node, so tasks share the node.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
# Look at pending jobs every 0.1 s rather than every 2 s: a dependent job starts soon after its array.
SchedulerParameters=sched_min_interval=100000
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
  slurmctld -f "$conf"
  slurmd -f "$conf"
  export SLURM_CONF=$conf
  if ! wait_for "sinfo -h -o %T 2>/dev/null | grep -qx idle" 30; then
    echo "slurm-local: the node did not become idle within 30 s; logs in $dir/log" >&2
    tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
    exit 1
  fi
  echo "slurm-local: cluster up (SLURM_CONF=$conf; munged $(cat "$dir/munge/munged.pid"), slurmctld $(cat "$dir/slurmctld.pid"), slurmd $(cat "$dir/slurmd.pid"))"
}

stop() {
  local f pid left=()
  for f in "${pidfiles[@]}"; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    if kill "$pid" 2>/dev/null; then left+=("$pid"); fi
  done
  for pid in "${left[@]}"; do
    wait_for "! kill -0 $pid 2>/dev/null" 15 || { echo "slurm-local: pid $pid still running after 15 s; killing it" >&2; kill -9 "$pid" 2>/dev/null || true; }
  done
  echo "slurm-local: stopped ${#left[@]} daemons"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
