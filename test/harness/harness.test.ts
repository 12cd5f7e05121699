/**
 * The real-thread harness: piscina workers over one SharedArrayBuffer. Runs
 * are short; assertions are on invariants and exact counts, never timings.
 */
import { modelTarget } from '../../src/targets/model/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig, type ModelInput } from '../../src/model/config.js';
import { J_TXN, T_UPDATES } from '../../src/model/journals/jbd2.js';
import { LOCK_KINDS } from '../../src/model/locks/kinds.js';
import { checkInvariants, finalSync } from '../../src/model/state.js';
import { makeModel } from '../helpers/model.js';
import { testInput } from '../helpers/model-input.js';

const model = modelTarget();
afterAll(() => model.close());

const timing = { warmupSec: 0.02, durationSec: 0.1 };

function config(over: Partial<ModelInput>) {
  return buildConfig(testInput({ observerIntervalMs: 1, ...over }));
}

describe('separate-file (page_fault3)', () => {
  it('takes exactly one fault per store when nothing is written back', async () => {
    // Time scale 1: pages expire after 30 s, far beyond the run, so the flusher never cleans a page.
    const s = await model.run({ cfg: config({ timeScale: 1 }), timing });
    expect(s.final.total.stores).toBeGreaterThan(0);
    expect(s.final.total.faults).toBe(s.final.total.stores);
    expect(s.final.total.refaults).toBe(0);
    expect(s.final.total.passes).toBeGreaterThan(0);
  });

  it('keeps every store when writeback cleans pages under the writers', async () => {
    // Time scale 0.001: 30 ms expiry, 5 ms flusher period: many writebacks race with stores.
    const s = await model.run({
      cfg: config({ timeScale: 0.001, strategy: 'deferred' }),
      timing: {
        warmupSec: 0.02,
        durationSec: 0.2,
      },
    });
    expect(s.final.total.pagesWritten).toBeGreaterThan(0);
    expect(s.final.total.faults).toBe(s.final.total.stores + s.final.total.refaults);
  });
});

describe('journals under concurrent writers', () => {
  for (const journal of ['jbd2', 'xfs-cil', 'xfs-cil-percpu'] as const) {
    it(`${journal}: one transaction per fault under eager-iversion, commits happen, invariants hold`, async () => {
      const s = await model.run({
        cfg: config({ journal, strategy: 'eager-iversion', writers: 3, timeScale: 0.002 }),
        timing,
      });
      const t = s.final.total;
      expect(t.txns).toBe(t.faults);
      expect(t.iversionBumps).toBe(t.faults);
      expect(t.commits).toBeGreaterThan(0);
    });
  }

  it('shared-file: all writers on one inode keep the invariants', async () => {
    const s = await model.run({
      cfg: config({ workload: 'shared-file', strategy: 'eager-iversion', writers: 3 }),
      timing,
    });
    expect(s.final.total.faults).toBe(s.final.total.stores + s.final.total.refaults);
  });

  for (const lock of LOCK_KINDS) {
    it(`jbd2 with a ${lock} hot lock: 4 writers on 2 cores finish with the invariants intact`, async () => {
      const s = await model.run({ cfg: config({ lock, strategy: 'eager-iversion', writers: 4 }), timing });
      expect(s.window.locks.hot.acq).toBeGreaterThan(0);
      expect(s.final.total.txns).toBe(s.final.total.faults);
    });
  }
});

describe('invariant checks', () => {
  it('report a store that never reached writeback', () => {
    const m = makeModel('none');
    m.k.store(0, 0, 1);
    // No finalSync: the page is dirty and its written-back copy is stale.
    const bad = checkInvariants(m.sab, m.cfg);
    expect(bad.some((v) => /lost a store/.test(v))).toBe(true);
    expect(bad.some((v) => /still dirty/.test(v))).toBe(true);
    finalSync(m.sab, m.cfg, () => 0);
    expect(checkInvariants(m.sab, m.cfg)).toEqual([]);
  });

  it('report a handle left running and a journal copy behind memory', () => {
    const m = makeModel('eager-iversion');
    m.k.store(0, 0, 1);
    finalSync(m.sab, m.cfg, () => 0);
    expect(checkInvariants(m.sab, m.cfg)).toEqual([]);
    m.k.store(0, 1, 1); // a change after the final commit
    Atomics.add(m.i32, m.cfg.layout.journalBase + J_TXN + T_UPDATES, 1);
    const bad = checkInvariants(m.sab, m.cfg);
    expect(bad.some((v) => /t_updates is 1/.test(v))).toBe(true);
    expect(bad.some((v) => /differs from memory/.test(v))).toBe(true);
  });
});

describe('staleness under load (rewrite: the mapping stays, so stores to dirty pages do not fault)', () => {
  // Time scale 1: nothing is written back during the run, as in the second-store scenario.
  const rewrite = { workload: 'rewrite' as const, timeScale: 1, observerIntervalMs: 1, writers: 2 };

  it('eager-iversion never shows the stores that did not fault', async () => {
    const s = await model.run({ cfg: config({ ...rewrite, strategy: 'eager-iversion' }), timing });
    // Only the first pass over each page faulted, and only those faults changed the attributes.
    expect(s.final.total.faults).toBe(2 * 256);
    expect(s.final.total.iversionBumps).toBe(2 * 256);
    // So the attributes stop changing once the first pass is over. How many sampled stores a poll still charges
    // to that last change depends on when the observer next ran (a loaded machine delays it), so the check is the
    // invariant, not a count: sampled stores were made, and those after the observer caught up stay unseen for good
    // (the window lasts many passes beyond the first; wrprotect-on-query below sees every one of them).
    expect(s.staleness!.samples).toBeGreaterThan(0);
    expect(s.staleness!.unnoticed).toBeGreaterThan(0);
    expect(s.staleness!.unnoticed).toBeLessThanOrEqual(s.staleness!.samples);
  });

  it('wrprotect-on-query notices every store and keeps the invariants', async () => {
    const s = await model.run({ cfg: config({ ...rewrite, strategy: 'wrprotect-on-query' }), timing });
    expect(s.staleness!.samples).toBeGreaterThan(0);
    expect(s.staleness!.unnoticed).toBe(0);
    expect(s.final.total.faults).toBeGreaterThan(2 * 256);
    expect(s.final.total.iversionBumps).toBeGreaterThan(0);
  });

  it('wrprotect-on-query on a shared file keeps the invariants', async () => {
    const s = await model.run({
      cfg: config({ ...rewrite, workload: 'shared-file', strategy: 'wrprotect-on-query', writers: 3 }),
      timing,
    });
    expect(s.staleness!.unnoticed).toBe(0);
  });
});
