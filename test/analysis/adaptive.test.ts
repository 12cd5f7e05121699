/** The adaptive stopping rule: a minimum of runs, then the CI target, capped by the maximum. */
import { describe, expect, it } from 'vitest';

import { ADAPTIVE_DEFAULTS, ciTargetMet, wantsAnotherRun } from '../../src/analysis/adaptive.js';
import { summarize } from '../../src/analysis/stats.js';

const rule = ADAPTIVE_DEFAULTS;

describe('ciTargetMet', () => {
  it('compares the 95% half-width with the target share of the mean', () => {
    const xs = [100, 101, 99, 100.5, 99.5];
    const share = (summarize(xs).ci95HalfWidth / 100) * 100; // percent
    expect(ciTargetMet(xs, share + 1e-9)).toBe(true);
    expect(ciTargetMet(xs, share - 1e-9)).toBe(false);
    expect(ciTargetMet([100], 50)).toBe(false); // one run has no interval
    expect(ciTargetMet([0, 0], 2)).toBe(false);
  });
});

describe('wantsAnotherRun', () => {
  it('always takes the minimum, even when the runs agree exactly', () => {
    expect(wantsAnotherRun([], rule)).toBe(true);
    expect(wantsAnotherRun([5, 5], rule)).toBe(true);
    expect(wantsAnotherRun([5, 5, 5], rule)).toBe(false);
  });

  it('goes on while the interval is too wide, and stops at the maximum', () => {
    const noisy = [100, 130, 70];
    expect(wantsAnotherRun(noisy, rule)).toBe(true);
    const thirty = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 70 : 130));
    expect(wantsAnotherRun(thirty.slice(0, 29), rule)).toBe(true);
    expect(wantsAnotherRun(thirty, rule)).toBe(false);
    expect(wantsAnotherRun([100, 100.5, 99.5], rule)).toBe(false);
  });
});
