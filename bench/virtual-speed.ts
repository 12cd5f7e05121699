/**
 * Simulation speed of the virtual target: simulated faults per wall-clock
 * second of one configuration at 160 virtual CPUs (xfs-cil, eager-iversion,
 * on westmere-ex-8s with the virtual sweep's defaults), on this one thread.
 * One unmeasured run first, so the JIT has compiled the paths; then the
 * measured runs, each a whole run as a sweep makes it (setup, warm-up,
 * window, sync and invariant check), with its resident memory afterwards.
 * A run's setup, sync and check cost the same whatever its window: the
 * fixed cost is timed on runs of the same configuration with no warm-up and
 * a 1 µs window, and the steady rate (faults simulated per wall second once
 * running) is the measured runs' faults over their wall time less it.
 */
import { buildConfig } from '../src/model/config.js';
import type { LockChoice } from '../src/model/locks/kinds.js';
import { PROFILES } from '../src/model/profiles.js';
import { VIRTUAL_SWEEP } from '../src/targets/virtual/defaults.js';
import { WESTMERE_EX_8S } from '../src/targets/virtual/westmere-ex-8s.js';
import { simulate } from '../src/targets/virtual/simulate.js';

const CPUS = 160;

/** Virtual time of the runs that time the fixed cost alone: no warm-up, a 1 µs window. */
const BARE = { warmupNs: 0, windowNs: 1000 };

function once(lock: LockChoice, seed: number, bare = false): { faults: number; wallSec: number; virtualFaultsPerSec: number } {
  const cfg = buildConfig({
    workload: 'separate-file',
    journal: 'xfs-cil',
    strategy: 'eager-iversion',
    lock,
    profile: PROFILES.default,
    writers: CPUS,
    pages: VIRTUAL_SWEEP.pages,
    timeScale: VIRTUAL_SWEEP.timeScale,
    tickMs: 4,
    observerIntervalMs: VIRTUAL_SWEEP.observerIntervalMs,
    cores: CPUS,
    unitsPerNs: 1,
  });
  const t0 = performance.now();
  const timing = bare ? BARE : { warmupNs: VIRTUAL_SWEEP.warmupSec * 1e9, windowNs: VIRTUAL_SWEEP.durationSec * 1e9 };
  const run = simulate(cfg, WESTMERE_EX_8S, timing, seed);
  const wallSec = (performance.now() - t0) / 1000;
  if (run.violations.length > 0) throw new Error(`virtual run broke invariants: ${run.violations[0]}`);
  return { faults: run.sample.final.total.faults, wallSec, virtualFaultsPerSec: run.sample.faultsPerSec };
}

/** Rows for console.table: one per hot-lock kind (auto is ticket, as XFS's xc_cil_lock was in 2013). */
export function virtualSpeed(runs = 3): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  for (const lock of ['auto', 'mcs'] as const) {
    once(lock, 0);
    let faults = 0;
    let wall = 0;
    let virtualRate = 0;
    let fixed = 0;
    for (let r = 1; r <= runs; r++) {
      const got = once(lock, r);
      faults += got.faults;
      wall += got.wallSec;
      virtualRate += got.virtualFaultsPerSec / runs;
      fixed += once(lock, r, true).wallSec / runs;
    }
    rows.push({
      configuration: `xfs-cil eager-iversion lock=${lock} ${CPUS} CPUs`,
      'simulated faults': faults,
      'wall s': wall.toFixed(2),
      'simulated faults / wall s': Math.round(faults / wall),
      'steady faults / wall s': Math.round(faults / (wall - runs * fixed)),
      'fixed s per run': fixed.toFixed(3),
      'virtual faults/s': Math.round(virtualRate),
      'rss MiB': Math.round(process.memoryUsage().rss / 2 ** 20),
    });
  }
  return rows;
}
