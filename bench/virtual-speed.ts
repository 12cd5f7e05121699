/**
 * Wall time to a converged many-core answer: one 160-CPU row of each 2013
 * filesystem preset on westmere-ex-8s, with the virtual sweep's default
 * window (whole ticks, long enough for the 2% rule) at HZ 250, on this one
 * thread. One unmeasured run first, so the JIT has compiled the paths; then
 * `runs` whole runs as a sweep makes them (setup, warm-up, window, sync and
 * invariant check), timed one by one: the row's wall time is their sum.
 */
import { CONVERGED_WINDOW_TICKS, buildConfig, tickMsOf } from '../src/model/config.js';
import { FS_PRESETS } from '../src/model/fs-presets.js';
import { PROFILES } from '../src/model/profiles.js';
import { VIRTUAL_SWEEP } from '../src/targets/virtual/defaults.js';
import { WESTMERE_EX_8S } from '../src/targets/virtual/westmere-ex-8s.js';
import { simulate } from '../src/targets/virtual/simulate.js';

const CPUS = 160;
const HZ = 250;
const PRESETS = ['ext3-2013', 'ext4-2013', 'xfs-2013'] as const;

function once(
  preset: (typeof PRESETS)[number],
  seed: number,
): { faults: number; wallSec: number; virtualFaultsPerSec: number } {
  const p = FS_PRESETS[preset];
  const cfg = buildConfig({
    workload: 'separate-file',
    journal: p.journal,
    strategy: p.strategy,
    lock: p.lock,
    timeGranNs: p.timeGranNs,
    faultPath: p.faultPath,
    profile: PROFILES.default,
    writers: CPUS,
    pages: VIRTUAL_SWEEP.pages,
    timeScale: VIRTUAL_SWEEP.timeScale,
    tickMs: tickMsOf(HZ),
    observerIntervalMs: VIRTUAL_SWEEP.observerIntervalMs,
    cores: CPUS,
    unitsPerNs: 1,
  });
  const tickNs = tickMsOf(HZ) * 1e6;
  const t0 = performance.now();
  const timing = { warmupNs: VIRTUAL_SWEEP.warmupTicks * tickNs, windowNs: VIRTUAL_SWEEP.windowTicks * tickNs };
  const run = simulate(cfg, WESTMERE_EX_8S, timing, seed);
  const wallSec = (performance.now() - t0) / 1000;
  if (run.violations.length > 0) throw new Error(`virtual run broke invariants: ${run.violations[0]}`);
  return { faults: run.sample.final.total.faults, wallSec, virtualFaultsPerSec: run.sample.faultsPerSec };
}

/** Rows for console.table: one per preset. */
export function virtualSpeed(runs = 3): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  once('ext3-2013', 0);
  for (const preset of PRESETS) {
    let faults = 0;
    let wall = 0;
    let virtualRate = 0;
    for (let r = 1; r <= runs; r++) {
      const got = once(preset, r);
      faults += got.faults;
      wall += got.wallSec;
      virtualRate += got.virtualFaultsPerSec / runs;
    }
    rows.push({
      configuration: `${preset} ${CPUS} CPUs HZ ${HZ}, ${VIRTUAL_SWEEP.windowTicks} ticks (2% rule: ${CONVERGED_WINDOW_TICKS})`,
      runs,
      'row wall s': wall.toFixed(1),
      'simulated faults / wall s': Math.round(faults / wall),
      'virtual faults/s': Math.round(virtualRate),
      'rss MiB': Math.round(process.memoryUsage().rss / 2 ** 20),
    });
  }
  return rows;
}
