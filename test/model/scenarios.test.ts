/**
 * The two 2013 arguments as deterministic scenarios: each strategy's verdict
 * comes from running the model, and must match the kernel history.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, SCENARIO_NAMES, verdictsJson, type Verdict } from '../../src/model/scenarios.js';
import { verdictTable } from '../../src/output/verdicts.js';
import { KERNEL_SECONDS } from '../../src/model/config.js';
import type { StrategyName } from '../../src/model/strategies/index.js';

const verdicts = (name: (typeof SCENARIO_NAMES)[number]): Map<StrategyName, Verdict> =>
  new Map(runScenario(name).map((v) => [v.strategy, v]));

/** Deferred updates wait for the flusher to find the pages expired: at most expiry + one flusher period (+ one poll). */
const WRITEBACK_BOUND = KERNEL_SECONDS.dirtyExpire + KERNEL_SECONDS.writebackInterval + 1;

/** A change first shown by the writeback that found its page expired: after the expiry (less a flusher period), within the bound. */
function expectShownAtWriteback(v: Verdict): void {
  expect(v.afterSec!).toBeGreaterThan(KERNEL_SECONDS.dirtyExpire - 5);
  expect(v.afterSec!).toBeLessThanOrEqual(WRITEBACK_BOUND);
}

describe('second-store-to-dirty-page (Lutomirski)', () => {
  const v = verdicts('second-store-to-dirty-page');

  it('eager updating never shows a store to a page that is still dirty and writable', () => {
    for (const s of ['eager-iversion', 'eager', 'iversion-queried', 'multigrain', 'lazytime', 'none'] as const) {
      expect(v.get(s)!.faulted, s).toBe(false);
      expect(v.get(s)!.noticed, s).toBe(false);
    }
  });

  it('deferred notices it only after writeback', () => {
    const d = v.get('deferred')!;
    expect(d.noticed).toBe(true);
    expectShownAtWriteback(d);
  });

  it('wrprotect-on-query makes the store fault and notices it at the next poll', () => {
    const w = v.get('wrprotect-on-query')!;
    expect(w.faulted).toBe(true);
    expect(w.noticed).toBe(true);
    expect(w.afterSec).toBe(0);
  });
});

describe('first-store-after-writeback (Chinner)', () => {
  const v = verdicts('first-store-after-writeback');

  it('every strategy that updates at fault time shows the change at once', () => {
    for (const s of [
      'eager-iversion',
      'eager',
      'lazytime',
      'iversion-queried',
      'multigrain',
      'wrprotect-on-query',
    ] as const) {
      expect(v.get(s)!.faulted, s).toBe(true);
      expect(v.get(s)!.afterSec, s).toBe(0);
    }
  });

  it('deferred leaves it invisible until the next writeback', () => {
    const d = v.get('deferred')!;
    expect(d.faulted).toBe(true);
    expectShownAtWriteback(d);
  });

  it('none never shows it', () => {
    expect(v.get('none')!.noticed).toBe(false);
  });
});

describe('writeback-window', () => {
  const v = verdicts('writeback-window');

  it('bounds deferred staleness by the expiry plus a flusher period', () => {
    const d = v.get('deferred')!;
    expect(d.afterSec!).toBeGreaterThan(0);
    expect(d.afterSec!).toBeLessThanOrEqual(WRITEBACK_BOUND);
    expect(v.get('eager-iversion')!.afterSec).toBe(0);
  });

  it('prints a verdict table with one line per strategy', () => {
    const table = verdictTable('writeback-window', [...v.values()]);
    expect(table.split('\n')).toHaveLength(3 + v.size);
    expect(table).toMatch(/deferred\s+yes\s+late/);
  });
});

describe('scenario steps', () => {
  it('log the store, the fault or its absence, the writeback and what the client concludes', () => {
    const lines: string[] = [];
    runScenario('second-store-to-dirty-page', ['deferred'], (l) => lines.push(l));
    const text = lines.join('\n');
    expect(text).toMatch(/PTE writable, no fault/);
    expect(text).toMatch(/flusher: writes back 1 page/);
    expect(text).toMatch(/unchanged: keeps its cache \(stale/);
    expect(text).toMatch(/changed: revalidates and refetches/);
  });
});

describe('server-restart (Lutomirski, the chain as he wrote it)', () => {
  const v = verdicts('server-restart');

  it('the second store to the page hits a writable PTE: no strategy that updates only at the fault ever shows it', () => {
    for (const s of [
      'eager-iversion',
      'iversion-queried',
      'lazytime-iversion',
      'multigrain-iversion',
      'eager',
      'multigrain',
    ] as const) {
      expect(v.get(s)!.faulted, s).toBe(false);
      expect(v.get(s)!.noticed, s).toBe(false);
      expect(v.get(s)!.stale, s).toBe(true);
    }
  });

  it('deferred shows it at the next writeback; wrprotect-on-query at once', () => {
    expectShownAtWriteback(v.get('deferred')!);
    expect(v.get('wrprotect-on-query')).toMatchObject({ faulted: true, noticed: true, afterSec: 0 });
  });

  it('after recovery the first store bumps i_version even though nobody read it since: it comes back marked queried', () => {
    const lines: string[] = [];
    runScenario('server-restart', ['iversion-queried'], (l) => lines.push(l));
    const afterCrash = lines.slice(lines.findIndex((l) => l.includes('server crashes')));
    expect(afterCrash.find((l) => l.includes('store #2'))).toMatch(/write fault.*i_version 1.*journal transaction/);
  });
});

describe('change-attr-after-crash', () => {
  const all = runScenario('change-attr-after-crash');
  const get = (s: StrategyName, mixed: boolean): Verdict =>
    all.find((x) => x.strategy === s && x.ctimeMixed === mixed)!;

  it('runs every strategy with and without the ctime mixed in', () => {
    expect(all.filter((x) => x.ctimeMixed === true)).toHaveLength(all.length / 2);
    expect(new Set(all.map((x) => x.variant))).toEqual(new Set(['ctime mixed in', 'i_version alone']));
  });

  it('i_version alone hands out the value the client saw for other contents; the ctime mixed in tells them apart', () => {
    for (const s of ['eager-iversion', 'iversion-queried', 'lazytime-iversion', 'multigrain-iversion'] as const) {
      expect(get(s, false), s).toMatchObject({ faulted: true, noticed: false, stale: true });
      expect(get(s, true), s).toMatchObject({ noticed: true, afterSec: 0, stale: false });
    }
  });

  it('without i_version the change attribute is the ctime, which moved: seen either way', () => {
    for (const s of ['eager', 'lazytime', 'multigrain'] as const) {
      expect(get(s, false).afterSec, s).toBe(0);
      expect(get(s, true).afterSec, s).toBe(0);
    }
  });
});

describe('verdicts as JSON', () => {
  it('names the scenario and gives strategy, faulted, noticed and after_sec (null when never)', () => {
    const v = runScenario('server-restart', ['deferred', 'eager-iversion']);
    const j = JSON.parse(verdictsJson('server-restart', v)) as {
      scenario: string;
      verdicts: Record<string, unknown>[];
    };
    expect(j.scenario).toBe('server-restart');
    expect(j.verdicts).toEqual([
      { strategy: 'deferred', faulted: false, noticed: true, after_sec: v[0]!.afterSec },
      { strategy: 'eager-iversion', faulted: false, noticed: false, after_sec: null },
    ]);
    const c = JSON.parse(
      verdictsJson('change-attr-after-crash', runScenario('change-attr-after-crash', ['eager'])),
    ) as typeof j;
    expect(c.verdicts.map((x) => x.ctime_mixed)).toEqual([true, false]);
  });
});
