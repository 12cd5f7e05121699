/**
 * Where compare takes a row's spread from, and what it says without one: the
 * sidecar's runs when it has 2 or more, else the CI columns (sd recovered by
 * hand from the half-width, t(0.975, runs − 1) and √runs), else none, which
 * leaves the row untested; and the verdicts at their edges.
 */
import { describe, expect, it } from 'vitest';

import { compareRows, regressionsAbove } from '../../src/analysis/compare.js';
import { tQuantile } from '../../src/analysis/stats.js';
import type { ResultSet } from '../../src/rows/read.js';
import type { Row } from '../../src/rows/rows.js';
import { rowKey } from '../../src/rows/runs.js';
import { makeRow } from '../helpers/rows.js';

const row = (threads: number, mean: number, runs: number, lo: number, hi: number): Row =>
  makeRow({
    target: 'model',
    workload: 'separate-file',
    journal: 'jbd2',
    strategy: 'eager',
    threads,
    runs,
    faults_per_sec_mean: mean,
    faults_per_sec_ci95_low: lo,
    faults_per_sec_ci95_high: hi,
  } as Partial<Row>);

const set = (label: string, rows: Row[], runs: Map<string, number[]> | null = null): ResultSet => ({
  label,
  rows,
  runs,
});

describe('compare: the spread of a row', () => {
  it('recovers sd from the CI columns: (high − low) / 2 / t(0.975, runs − 1) × √runs', () => {
    const r = compareRows(set('a', [row(1, 100, 5, 90, 110)]), set('b', [row(1, 50, 4, 45, 55)]));
    const c = r.compared[0]!;
    expect(c.source).toBe('ci');
    expect(c.base!.n).toBe(5);
    expect(c.base!.mean).toBe(100);
    expect(c.base!.sd).toBeCloseTo((10 / tQuantile(0.975, 4)) * Math.sqrt(5), 10);
    expect(c.next!.sd).toBeCloseTo((5 / tQuantile(0.975, 3)) * Math.sqrt(4), 10);
    expect(c.changePct).toBe(-50);
    expect(c.verdict).toBe('regression');
  });

  it('takes the sidecar’s runs when it has two or more, and says so per side', () => {
    const b = row(1, 100, 3, 90, 110);
    const runs = new Map([[rowKey(b), [99, 100, 101]]]);
    const r = compareRows(set('a', [b], runs), set('b', [row(1, 80, 3, 70, 90)]));
    const c = r.compared[0]!;
    expect(c.source).toBe('runs+ci');
    expect(c.base).toEqual({ n: 3, mean: 100, sd: 1 });
    // One run in the sidecar is no spread: the CI columns stand in.
    const one = compareRows(set('a', [b], new Map([[rowKey(b), [100]]])), set('b', [row(1, 80, 3, 70, 90)]));
    expect(one.compared[0]!.source).toBe('ci');
  });

  it('without runs ≥ 2 or an ordered, finite CI there is no spread and no test', () => {
    for (const base of [row(1, 100, 1, 90, 110), row(1, 100, 5, 110, 90), row(1, 100, 5, NaN, 110)]) {
      const c = compareRows(set('a', [base]), set('b', [row(1, 50, 5, 45, 55)])).compared[0]!;
      expect([c.source, c.base, c.verdict]).toEqual(['none', null, 'not tested']);
      expect(c.p).toBeNaN();
      expect(c.changePct).toBe(-50);
    }
  });

  it('a zero base mean has no change to report', () => {
    const c = compareRows(set('a', [row(1, 0, 5, 0, 0)]), set('b', [row(1, 50, 5, 45, 55)])).compared[0]!;
    expect(c.changePct).toBeNaN();
    expect(c.verdict).toBe('not tested');
  });
});

describe('compare: verdict edges', () => {
  it('an improvement is the mirror of a regression; no change is no significant change', () => {
    const base = set('a', [row(1, 100, 5, 99, 101), row(2, 100, 5, 99, 101)]);
    const next = set('b', [row(1, 150, 5, 149, 151), row(2, 100, 5, 99.5, 100.5)]);
    const r = compareRows(base, next, { noisePct: 5 });
    expect(r.compared.map((c) => c.verdict)).toEqual(['improvement', 'no significant change']);
    expect(regressionsAbove(r, 0)).toEqual([]);
  });

  it('--fail-above counts a regression only beyond its percentage', () => {
    const r = compareRows(set('a', [row(1, 100, 5, 99, 101)]), set('b', [row(1, 80, 5, 79, 81)]), { noisePct: 1 });
    expect(r.compared[0]!.verdict).toBe('regression');
    expect(regressionsAbove(r, 19.9)).toHaveLength(1);
    expect(regressionsAbove(r, 20)).toHaveLength(0);
  });
});
