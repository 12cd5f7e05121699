/**
 * Welch's t-test worked by hand: sample statistics, the statistic, the
 * Welch–Satterthwaite degrees of freedom and the two-sided p-value (at 2
 * degrees of freedom Student's t has a closed-form CDF), and the cases it
 * cannot test or need not.
 */
import { describe, expect, it } from 'vitest';

import { sampleStats, welch, welchFromStats } from '../../src/analysis/welch.js';

/** Student's t CDF at 2 degrees of freedom. */
const cdf2 = (t: number): number => 0.5 + t / (2 * Math.sqrt(2 + t * t));

describe('sampleStats', () => {
  it('counts, averages and takes the n − 1 standard deviation; NaN where undefined', () => {
    expect(sampleStats([1, 2, 3, 6])).toEqual({ n: 4, mean: 3, sd: Math.sqrt(14 / 3) });
    expect(sampleStats([5])).toEqual({ n: 1, mean: 5, sd: NaN });
    expect(sampleStats([])).toEqual({ n: 0, mean: NaN, sd: NaN });
  });
});

describe('welch', () => {
  it('matches the hand computation at 2 degrees of freedom, in either direction', () => {
    // a: mean 2, sd √2; b: mean 5, sd √2. Each variance of the mean is 1: t = 3/√2, df = 2² / (1 + 1) = 2.
    const r = welch([1, 3], [4, 6]);
    const t = 3 / Math.SQRT2;
    expect(r.t).toBeCloseTo(t, 12);
    expect(r.df).toBeCloseTo(2, 12);
    expect(r.p).toBeCloseTo(2 * (1 - cdf2(t)), 10);
    expect([r.meanA, r.meanB]).toEqual([2, 5]);
    const back = welch([4, 6], [1, 3]);
    expect(back.t).toBeCloseTo(-t, 12);
    expect(back.p).toBeCloseTo(r.p, 12);
  });

  it('weighs each side by its own variance and size', () => {
    // a: n 3, sd 1 (va = 1/3); b: n 2, sd 3√2 (vb = 9): df = (28/3)² / ((1/9)/2 + 81/1).
    const r = welchFromStats({ n: 3, mean: 10, sd: 1 }, { n: 2, mean: 4, sd: 3 * Math.SQRT2 });
    const va = 1 / 3;
    const vb = 9;
    expect(r.t).toBeCloseTo(-6 / Math.sqrt(va + vb), 12);
    expect(r.df).toBeCloseTo((va + vb) ** 2 / (va ** 2 / 2 + vb ** 2 / 1), 12);
    expect(r.p).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(1);
  });

  it('gives p = 1 for equal means with spread', () => {
    expect(welch([1, 3], [0, 4]).p).toBe(1);
    expect(welch([1, 3], [0, 4]).t).toBe(0);
  });

  it('is certain without spread: any difference is significant, none is not', () => {
    expect(welch([3, 3], [4, 4, 4])).toEqual({ t: Infinity, df: 3, p: 0, meanA: 3, meanB: 4 });
    expect(welch([4, 4], [3, 3])).toEqual({ t: -Infinity, df: 2, p: 0, meanA: 4, meanB: 3 });
    expect(welch([3, 3], [3, 3])).toEqual({ t: 0, df: 2, p: 1, meanA: 3, meanB: 3 });
  });

  it('cannot test a side with one sample or an unknown spread, and says so with NaN', () => {
    const nan = { t: NaN, df: NaN, p: NaN };
    expect(welch([3], [4, 5])).toEqual({ ...nan, meanA: 3, meanB: 4.5 });
    expect(welch([3, 4], [5])).toEqual({ ...nan, meanA: 3.5, meanB: 5 });
    expect(welchFromStats({ n: 3, mean: 1, sd: Infinity }, { n: 3, mean: 2, sd: 1 })).toEqual({
      ...nan,
      meanA: 1,
      meanB: 2,
    });
    // One sample has no spread to test, whatever sd a caller passes with it.
    expect(welchFromStats({ n: 1, mean: 3, sd: 1 }, { n: 3, mean: 5, sd: 1 })).toEqual({ ...nan, meanA: 3, meanB: 5 });
    expect(welchFromStats({ n: 3, mean: 3, sd: 1 }, { n: 1, mean: 5, sd: 1 })).toEqual({ ...nan, meanA: 3, meanB: 5 });
    expect(welchFromStats({ n: 3, mean: 1, sd: 1 }, { n: 3, mean: 2, sd: NaN })).toEqual({
      ...nan,
      meanA: 1,
      meanB: 2,
    });
  });
});
