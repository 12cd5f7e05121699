/**
 * The flusher's and the committer's work happens inside the measurement
 * window, on their own CPUs, and not only in the sync(2) that ends the run:
 * totals over the whole run (pagesWritten > 0, commits > 0) would be met by
 * that final sync alone, which runs on the coordinator's CPU slot after the
 * window closed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig, type ModelConfig, type ModelInput } from '../../src/model/config.js';
import { roleOf } from '../../src/model/diagnose.js';
import { PROFILES } from '../../src/model/profiles.js';
import type { Counters, Snapshot } from '../../src/model/state.js';
import { modelTarget } from '../../src/targets/model/index.js';
import { withTopology } from '../../src/targets/virtual/hardware-presets.js';
import { simulate } from '../../src/targets/virtual/simulate.js';
import { WESTMERE_EX_8S } from '../../src/targets/virtual/westmere-ex-8s.js';
import { testInput } from '../helpers/model-input.js';

const model = modelTarget();
afterAll(() => model.close());

function config(over: Partial<ModelInput>): ModelConfig {
  return buildConfig(testInput({ strategy: 'eager-iversion', timeScale: 0.001, ...over }));
}

/** The CPU that runs `role` (exactly one does). */
function cpuOf(cfg: ModelConfig, role: 'flusher' | 'committer'): number {
  const cpus = Array.from({ length: cfg.layout.cpus }, (_, c) => c).filter((c) => roleOf(cfg, c) === role);
  expect(cpus).toHaveLength(1);
  return cpus[0]!;
}

/** Checks a sample: background work inside the window on the roles' CPUs, the final sync outside it. */
function expectWorkInWindow(cfg: ModelConfig, window: Snapshot, final: Snapshot): void {
  const at = (s: Snapshot, c: number): Counters => s.perCpu[c]!;
  const flusher = cpuOf(cfg, 'flusher');
  const committer = cpuOf(cfg, 'committer');
  const syncCpu = cfg.layout.cpus - 1;
  expect(roleOf(cfg, syncCpu)).toBe('coordinator');
  expect(at(window, flusher).pagesWritten).toBeGreaterThan(0);
  expect(at(window, committer).commits).toBeGreaterThan(0);
  expect(at(window, committer).commitItems).toBeGreaterThan(0);
  // Nothing else writes back or commits in the window (writers in page_fault3 never sync) ...
  expect(window.total.pagesWritten).toBe(at(window, flusher).pagesWritten);
  expect(window.total.commits).toBe(at(window, committer).commits);
  // ... and the final sync, whose work the run's totals include, ran after the window closed.
  expect(at(window, syncCpu).pagesWritten + at(window, syncCpu).commits).toBe(0);
  expect(final.total.pagesWritten).toBeGreaterThanOrEqual(window.total.pagesWritten);
}

describe('background work inside the window', () => {
  it('threads: the flusher writes back and the committer commits while the window is open', async () => {
    // Time scale 0.001: writeback every 5 ms of pages dirty 30 ms, a commit every 5 ms, in a 200 ms window.
    const cfg = config({});
    const s = await model.run({ cfg, timing: { warmupSec: 0.02, durationSec: 0.2 } });
    expectWorkInWindow(cfg, s.window, s.final);
  }, 60_000);

  it.each(['jbd2', 'xfs-cil'] as const)(
    'virtual, %s: the same, in model time',
    (journal) => {
      // Time scale 2e-5: writeback every 0.1 ms of pages dirty 0.6 ms, inside a 1.5 ms window.
      const cfg = config({ journal, writers: 4, timeScale: 2e-5, tickMs: 0.5, profile: PROFILES.default });
      const hw = withTopology(WESTMERE_EX_8S, { sockets: 1, coresPerSocket: 8, threadsPerCore: 1 });
      const run = simulate(cfg, hw, { warmupNs: 0.5e6, windowNs: 1.5e6 }, 1);
      expect(run.violations).toEqual([]);
      expectWorkInWindow(cfg, run.sample.window, run.sample.final);
    },
    60_000,
  );
});
