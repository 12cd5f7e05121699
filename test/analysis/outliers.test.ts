/**
 * Modified z-scores (Iglewicz and Hoaglin): values worked by hand, the 3.5
 * threshold, the fallback when MAD is 0, and that one wild run cannot hide
 * by inflating the spread as it would a plain z-score.
 */
import { describe, expect, it } from 'vitest';

import { modifiedZScores, OUTLIER_Z, outlierRuns } from '../../src/analysis/outliers.js';

describe('modifiedZScores', () => {
  it('matches a hand computation', () => {
    // median 11, |dev| = 2,1,0,1,7 → MAD 1; M = 0.6745 (x − 11).
    const z = modifiedZScores([9, 10, 11, 12, 18]);
    expect(z.map((v) => Number(v.toFixed(4)))).toEqual([-1.349, -0.6745, 0, 0.6745, 4.7215]);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // median 100, |dev| = 0,0,0,40 → MAD 0, mean AD 10; M = (x − 100) / (1.253314 × 10).
    const z = modifiedZScores([100, 100, 100, 140]);
    expect(z[3]).toBeCloseTo(40 / 12.53314, 6);
    expect(z.slice(0, 3)).toEqual([0, 0, 0]);
    expect(modifiedZScores([5, 5, 5])).toEqual([0, 0, 0]);
    expect(modifiedZScores([])).toEqual([]);
  });
});

describe('outlierRuns', () => {
  it('marks runs beyond 3.5, numbered from 1, and no others', () => {
    expect(OUTLIER_Z).toBe(3.5);
    const runs = outlierRuns([1000, 1010, 990, 1005, 995, 1500]);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.run).toBe(6);
    expect(runs[0]!.value).toBe(1500);
    expect(runs[0]!.z).toBeGreaterThan(OUTLIER_Z);
    // A slow run is as much an outlier as a fast one.
    expect(outlierRuns([1000, 1010, 990, 1005, 995, 500]).map((r) => r.run)).toEqual([6]);
    expect(outlierRuns([1000, 1010, 990, 1005, 995])).toEqual([]);
  });

  it('finds a wild run that a mean/stddev z-score of 3 would miss', () => {
    const xs = [100, 101, 99, 100, 300];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
    expect((300 - mean) / sd).toBeLessThan(3); // the outlier inflates sd and hides
    expect(outlierRuns(xs).map((r) => r.run)).toEqual([5]);
  });

  it('never marks either of two runs', () => {
    expect(outlierRuns([1, 1000])).toEqual([]);
  });
});
