/**
 * `this-host`: the machine faultscale runs on, as `npm run calibrate`
 * measured it (results/profiles/this-host.json beside the host cost profile).
 *
 * Node cannot pin a thread to a CPU, so calibration measures one line
 * transfer between two unpinned threads and cannot tell an SMT sibling from
 * another core or socket: every distance but `self` gets that one figure.
 * Sockets and SMT siblings come from sysfs where it is readable.
 */
import fs from 'node:fs';
import path from 'node:path';

import { cpusOf, type Hardware, type Topology } from './hardware.js';
import { HT_GAIN } from './westmere-ex-8s.js';

/** Where `npm run calibrate` writes what this machine measured (relative to the working directory). */
export const HOST_HARDWARE_PATH = 'results/profiles/this-host.json';

/** What calibration writes: measured figures and the topology it read. */
export interface HostHardware {
  readonly name: 'this-host';
  readonly version: 1;
  /** When it was measured (ISO 8601). */
  readonly measuredAt: string;
  readonly topology: Topology;
  /** Median nanoseconds per hand-off of one line between two threads, minus the same loop on one thread. */
  readonly lineTransferNs: number;
  /** Median nanoseconds from Atomics.notify to the waiting thread running again. */
  readonly wakeNs: number;
  /** The raw medians the two figures come from, for the record. */
  readonly pingPongNs: number;
  readonly oneThreadNs: number;
  readonly wakeRoundTripNs: number;
  /** How the topology was found: 'sysfs' or 'os.cpus'. */
  readonly topologySource: string;
}

/** Thrown when the calibration file is missing or unusable; the message is one line that names the fix. */
export class HostHardwareError extends Error {}

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const nonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Checks a parsed file field by field; returns the first problem, or null. */
export function hostHardwareProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return 'it is not a JSON object';
  const d = data as Record<string, unknown>;
  if (d.name !== 'this-host' || d.version !== 1) return 'it needs "name": "this-host" and "version": 1';
  const t = d.topology as Record<string, unknown> | undefined;
  if (typeof t !== 'object' || t === null) return '"topology" is missing';
  for (const k of ['sockets', 'coresPerSocket', 'threadsPerCore'] as const) {
    if (!positiveInt(t[k])) return `"topology.${k}" must be an integer >= 1`;
  }
  for (const k of ['lineTransferNs', 'wakeNs', 'pingPongNs', 'oneThreadNs', 'wakeRoundTripNs'] as const) {
    if (!nonNegative(d[k])) return `"${k}" must be a number of nanoseconds >= 0`;
  }
  return null;
}

/** Reads and checks the calibration file; throws HostHardwareError naming `npm run calibrate`. */
export function readHostHardware(cwd: string, file = HOST_HARDWARE_PATH): HostHardware {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new HostHardwareError(
      code === 'ENOENT'
        ? `this-host is not calibrated (no ${abs}); run npm run calibrate first`
        : `cannot read ${abs} (${code ?? String(e)}); run npm run calibrate to write it again`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HostHardwareError(`${abs} is not JSON; run npm run calibrate to write it again`);
  }
  const problem = hostHardwareProblem(data);
  if (problem !== null) throw new HostHardwareError(`${abs}: ${problem}; run npm run calibrate to write it again`);
  return data as HostHardware;
}

/** The Hardware a calibration describes. */
export function hostHardware(h: HostHardware): Hardware {
  const x = h.lineTransferNs;
  return {
    name: 'this-host',
    topology: h.topology,
    // A line already held: one Atomics operation that hits, half the one-thread loop (a load and an add).
    lineTransferNs: { self: h.oneThreadNs / 2, smt: x, socket: x, 'remote-1hop': x, 'remote-2hop': x },
    wakeNs: h.wakeNs,
    // Not measured here (Node cannot pin threads to siblings): the published Hyper-Threading figure.
    smtGain: HT_GAIN,
    // Every distance costs the same here, so any socket is one hop from any other.
    socketHops: (a, b) => (a === b ? 0 : 1),
    sources: [
      `npm run calibrate, ${h.measuredAt}: ${cpusOf(h.topology)} CPUs (${h.topologySource})`,
      `line transfer ${x.toFixed(1)} ns: Atomics ping-pong of one SharedArrayBuffer word between two worker threads, minus the same loop on one thread (median of batches)`,
      `line already held ${(h.oneThreadNs / 2).toFixed(1)} ns: half the one-thread loop's load and add (median of batches)`,
      `SMT gain ${HT_GAIN}: not measured; the published Hyper-Threading figure (Intel, 20-30%; westmere-ex-8s.ts)`,
      `wake-up ${h.wakeNs.toFixed(0)} ns: half an Atomics.wait/notify round trip between two threads (median of batches)`,
    ],
  };
}
