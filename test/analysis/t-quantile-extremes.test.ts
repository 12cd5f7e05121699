/**
 * Student's t quantile far out in the tails: still accurate where the search
 * must double its bracket many times (the Cauchy case has a closed form).
 */
import { describe, expect, it } from 'vitest';

import { tQuantile } from '../../src/analysis/stats.js';

/** The Cauchy (1 degree of freedom) quantile for an upper tail `tail`: 1 / tan(π · tail). */
const cauchyUpper = (tail: number): number => 1 / Math.tan(Math.PI * tail);

describe('tQuantile in the far tails', () => {
  it('keeps its relative accuracy at a tail of 1e-12, either side', () => {
    const t = cauchyUpper(1e-12);
    expect(tQuantile(1 - 1e-12, 1) / t).toBeCloseTo(1, 4);
    expect(tQuantile(1e-12, 1) / -t).toBeCloseTo(1, 8);
  });
});
