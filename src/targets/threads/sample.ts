/**
 * A threads run's sample from its measured window: rates over the window's
 * wall time, the CPUs' idle share over it, and the staleness of the stores
 * the observer sampled during it.
 */
import os from 'node:os';
import type { ModelConfig } from '../../model/config.js';
import type { RoleResult } from '../../model/roles.js';
import { windowed, type Noticed } from '../../model/staleness.js';
import { diffSnapshots, type Snapshot } from '../../model/state.js';
import type { RunSample } from '../target.js';

/** Every CPU's idle and total time so far (os.cpus), ms. */
export interface CpuTimes {
  readonly idle: number;
  readonly total: number;
}

export function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** The measured window's two ends: counters (s), CPU times (c), wall time (t) and model-clock time (m). */
export interface Window {
  readonly s0: Snapshot;
  readonly s1: Snapshot;
  readonly c0: CpuTimes;
  readonly c1: CpuTimes;
  readonly t0: number;
  readonly t1: number;
  readonly m0: number;
  readonly m1: number;
}

/** The observer's report, flat [storeUs, lagUs, ...], as pairs. */
const pairs = (flat: readonly number[]): Noticed[] => {
  const out: Noticed[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ storeUs: flat[i]!, lagUs: flat[i + 1]! });
  return out;
};

/** `epochMs`: the model-clock time the workers' fine clock counts from; `final`: the counters after the final sync. */
export function threadsSample(
  cfg: ModelConfig,
  w: Window,
  results: readonly RoleResult[],
  epochMs: number,
  final: Snapshot,
): RunSample {
  const elapsedSec = (w.t1 - w.t0) / 1000;
  // The window in model time: microseconds since the epoch the workers' fine clock counts from.
  const toModelUs = (t: number): number => (t - epochMs) * 1000;
  const report = results.find((r) => r.staleness)?.staleness;
  const staleness = report ? windowed(pairs(report.noticed), report.unnoticed, toModelUs(w.m0), toModelUs(w.m1)) : null;
  const window = diffSnapshots(w.s0, w.s1);
  const busy = w.c1.total - w.c0.total;
  return {
    elapsedSec,
    faultsPerSec: window.total.faults / elapsedSec,
    perThreadFaultsPerSec: window.perCpu.slice(0, cfg.writers).map((c) => c.faults / elapsedSec),
    idleShare: busy > 0 ? (w.c1.idle - w.c0.idle) / busy : 0,
    window,
    final,
    staleness,
  };
}
