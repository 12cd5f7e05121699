/**
 * LKP's range test by hand: the gap between the ranges (negative when they
 * overlap), and no test without 2 runs on each side.
 */
import { describe, expect, it } from 'vitest';

import { LKP_MIN_RUNS, rangesTest } from '../../src/analysis/lkp.js';

describe('rangesTest', () => {
  it('measures the gap between the ranges, negative when they overlap', () => {
    // New [10, 12] above base [1, 4]: gap 10 − 4 = 6.
    expect(rangesTest([4, 1, 3], [12, 10])).toEqual({ separated: true, gap: 6 });
    // New [0, 2] below base [5, 9]: gap 5 − 2 = 3.
    expect(rangesTest([9, 5], [2, 0, 1])).toEqual({ separated: true, gap: 3 });
    // [1, 6] and [3, 8] overlap by 3: max(3 − 6, 1 − 8) = −3.
    expect(rangesTest([1, 6], [3, 8])).toEqual({ separated: false, gap: -3 });
  });

  it('needs 2 runs on each side', () => {
    expect(LKP_MIN_RUNS).toBe(2);
    expect(rangesTest([1, 2], [5])).toBeNull();
    expect(rangesTest([1], [5, 6])).toBeNull();
    expect(rangesTest([1, 2], [5, 6])).not.toBeNull();
  });
});
