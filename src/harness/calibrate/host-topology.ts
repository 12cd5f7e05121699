/**
 * This machine's topology for the `this-host` preset: the CPU count from
 * os.cpus(), SMT siblings from each CPU's
 * /sys/devices/system/cpu/cpuN/topology/thread_siblings_list and sockets from
 * its physical_package_id, when those are readable and describe a regular
 * machine (every core with the same threads, every socket the same cores).
 * Otherwise every CPU is a core of one socket.
 */
import fs from 'node:fs';
import os from 'node:os';

import type { Topology } from '../../targets/virtual/hardware.js';

/** CPU numbers of a sysfs CPU list such as `0-1,8-9`; null when malformed. */
export function parseCpuList(raw: string): number[] | null {
  const out: number[] = [];
  for (const part of raw.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return null;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) return null;
    for (let c = a; c <= b; c++) out.push(c);
  }
  return out;
}

/** What sysfs said per CPU (null where a file was unreadable). */
export interface CpuFacts {
  readonly siblings: string | null;
  readonly packageId: string | null;
}

export interface HostTopology {
  readonly topology: Topology;
  /** 'sysfs' when siblings and packages were read, else 'os.cpus'. */
  readonly source: 'sysfs' | 'os.cpus';
}

/** The topology `cpus` CPUs with these sysfs facts describe: pure. */
export function topologyFrom(cpus: number, facts: readonly CpuFacts[]): HostTopology {
  const flat: HostTopology = {
    topology: { sockets: 1, coresPerSocket: Math.max(1, cpus), threadsPerCore: 1 },
    source: 'os.cpus',
  };
  if (cpus < 1 || facts.length !== cpus || facts.some((f) => f.siblings === null || f.packageId === null)) return flat;
  const cores = new Map<string, number>(); // sibling set → its size
  const packages = new Set<string>();
  for (const f of facts) {
    const list = parseCpuList(f.siblings!);
    if (list === null || list.length === 0) return flat;
    cores.set(list.join(','), list.length);
    packages.add(f.packageId!.trim());
  }
  const sizes = new Set(cores.values());
  if (sizes.size !== 1) return flat; // cores with different thread counts
  const threadsPerCore = [...sizes][0]!;
  const sockets = packages.size;
  const coresPerSocket = cpus / (sockets * threadsPerCore);
  if (!Number.isInteger(coresPerSocket) || cores.size !== sockets * coresPerSocket) return flat;
  return { topology: { sockets, coresPerSocket, threadsPerCore }, source: 'sysfs' };
}

const readOrNull = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

/** Reads this machine's topology. */
export function readHostTopology(): HostTopology {
  const cpus = os.cpus().length;
  const facts: CpuFacts[] = [];
  for (let c = 0; c < cpus; c++) {
    const dir = `/sys/devices/system/cpu/cpu${c}/topology`;
    facts.push({
      siblings: readOrNull(`${dir}/thread_siblings_list`),
      packageId: readOrNull(`${dir}/physical_package_id`),
    });
  }
  return topologyFrom(cpus, facts);
}
