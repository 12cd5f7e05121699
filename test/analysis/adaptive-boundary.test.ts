/**
 * The CI target's edges: two runs are enough to have an interval, and a
 * half-width exactly at the target meets it ("no wider than").
 */
import { describe, expect, it } from 'vitest';

import { ciTargetMet } from '../../src/analysis/adaptive.js';
import { summarize } from '../../src/analysis/stats.js';

describe('ciTargetMet at its edges', () => {
  it('judges two runs by their interval', () => {
    const two = [100, 100.001];
    // t(0.975, 1) × sd / √2 is far below 2% of 100.
    expect(summarize(two).ci95HalfWidth).toBeLessThan(0.01);
    expect(ciTargetMet(two, 2)).toBe(true);
  });

  it('is met by a half-width equal to the target', () => {
    // Identical runs: half-width 0, and a target of 0% allows exactly 0.
    expect(ciTargetMet([5, 5], 0)).toBe(true);
    expect(ciTargetMet([5, 6], 0)).toBe(false);
  });
});
