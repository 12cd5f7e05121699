/** An outlier is a run beyond the threshold: a modified z-score exactly at it is not one. */
import { describe, expect, it } from 'vitest';

import { modifiedZScores, outlierRuns } from '../../src/analysis/outliers.js';

describe('outlierRuns threshold', () => {
  it('marks only scores strictly beyond ±threshold', () => {
    const xs = [9, 10, 11, 12, 18];
    const z = modifiedZScores(xs)[4]!;
    expect(outlierRuns(xs, z)).toEqual([]);
    expect(outlierRuns(xs, z * (1 - 1e-12)).map((r) => r.run)).toEqual([5]);
  });
});
