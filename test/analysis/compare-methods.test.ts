/**
 * Deciding a change: Welch, LKP's non-overlapping ranges, or both; the noise
 * threshold (given, or twice the median run-to-run CV, at least 1%) that a
 * significant change must also exceed; the geometric-mean summary; and
 * --fail-above's regressions following the chosen method.
 */
import { describe, expect, it } from 'vitest';

import { compareRows, regressionsAbove } from '../../src/analysis/compare.js';
import type { ResultSet } from '../../src/rows/read.js';
import { geoMean } from '../../src/analysis/geomean.js';
import { rangesTest } from '../../src/analysis/lkp.js';
import { derivedNoise, MIN_NOISE_PCT } from '../../src/analysis/noise.js';
import { runsResultSet } from '../helpers/rows.js';

/** A result set with one row per entry of `runsByThreads` (thread count → that row's runs). */
const set = (label: string, runsByThreads: Record<number, number[]>): ResultSet =>
  runsResultSet(
    label,
    Object.entries(runsByThreads).map(([threads, xs]) => [Number(threads), xs]),
  );

describe('rangesTest (LKP)', () => {
  it('separates only ranges that do not overlap, in either direction', () => {
    expect(rangesTest([1, 2, 3], [4, 5, 6])).toEqual({ separated: true, gap: 1 });
    expect(rangesTest([4, 5, 6], [1, 2, 3])).toEqual({ separated: true, gap: 1 });
    expect(rangesTest([1, 2, 4], [4, 5, 6])?.separated).toBe(false); // touching ends overlap
    expect(rangesTest([1, 5], [2, 3])?.separated).toBe(false);
    expect(rangesTest([1], [5, 6])).toBeNull();
  });
});

describe('derivedNoise', () => {
  it('is twice the median CV in percent, at least 1%', () => {
    expect(derivedNoise([0.01, 0.03, 0.05]).pct).toBeCloseTo(6, 10);
    expect(derivedNoise([0.01, 0.03, 0.05, 0.07]).pct).toBeCloseTo(8, 10);
    expect(derivedNoise([0.001, 0.002]).pct).toBe(MIN_NOISE_PCT);
    expect(derivedNoise([NaN, 0.04]).rows).toBe(1);
    expect(derivedNoise([]).pct).toBe(MIN_NOISE_PCT);
  });
});

describe('geoMean', () => {
  it('is the ratio of the geometric means, each row weighing the same', () => {
    // One row twice as fast, one half as fast: overall no change, whatever their sizes.
    const g = geoMean([
      [1e6, 2e6],
      [1e3, 500],
    ])!;
    expect(g.changePct).toBeCloseTo(0, 10);
    expect(g.base).toBeCloseTo(Math.sqrt(1e9), 6);
    expect(geoMean([[0, 1]])).toBeNull();
  });
});

describe('compareRows: methods and noise', () => {
  // threads 1: a clean 10% drop (ranges apart, p tiny); threads 2: a 10% drop whose ranges
  // overlap through one slow base run (Welch still significant at 10 runs).
  const base = set('base', {
    1: [100, 101, 99, 100, 100, 101, 99, 100, 100, 100],
    2: [200, 201, 199, 200, 200, 201, 199, 200, 200, 170],
  });
  const next = set('new', {
    1: [90, 91, 89, 90, 90, 91, 89, 90, 90, 90],
    2: [176, 177, 175, 176, 176, 177, 175, 176, 176, 176],
  });
  const verdicts = (method: 'welch' | 'lkp' | 'both', noisePct?: number): string[] =>
    compareRows(base, next, { method, noisePct }).compared.map((c) => c.verdict);

  it('Welch flags both drops; LKP and both only the one whose ranges are apart', () => {
    expect(verdicts('welch', 2)).toEqual(['regression', 'regression']);
    expect(verdicts('lkp', 2)).toEqual(['regression', 'no significant change']);
    expect(verdicts('both', 2)).toEqual(['regression', 'no significant change']);
  });

  it('a significant change not larger than the noise threshold is within noise', () => {
    expect(verdicts('welch', 10)).toEqual(['within noise', 'regression']); // -10.0% vs -10.7%
    expect(verdicts('welch', 15)).toEqual(['within noise', 'within noise']);
  });

  it('derives the threshold from the files when none is given', () => {
    const r = compareRows(base, next);
    expect(r.noise.source).toBe('derived');
    expect(r.noise.rows).toBe(4);
    expect(r.noise.pct).toBeGreaterThanOrEqual(MIN_NOISE_PCT);
    expect(r.method).toBe('welch');
    expect(r.geomean?.pairs).toBe(2);
    expect(r.geomean?.changePct).toBeCloseTo(
      (Math.sqrt((90 / 100) * ((176 * 9 + 176) / 10 / ((200 * 9 + 170) / 10))) - 1) * 100,
      1,
    );
  });

  it('--fail-above counts only what the chosen method reports as a regression', () => {
    expect(regressionsAbove(compareRows(base, next, { method: 'welch', noisePct: 2 }), 5)).toHaveLength(2);
    expect(regressionsAbove(compareRows(base, next, { method: 'lkp', noisePct: 2 }), 5)).toHaveLength(1);
    expect(regressionsAbove(compareRows(base, next, { method: 'welch', noisePct: 15 }), 5)).toHaveLength(0);
  });

  it('LKP cannot test rows without per-run samples', () => {
    const noRuns = { ...base, runs: null };
    expect(compareRows(noRuns, next, { method: 'lkp' }).compared.map((c) => c.verdict)).toEqual([
      'not tested',
      'not tested',
    ]);
  });
});
