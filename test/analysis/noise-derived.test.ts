/**
 * The derived noise threshold by hand: twice the median of the usable
 * coefficients of variation (finite, not negative; in any order), as a
 * percentage, at least MIN_NOISE_PCT; a given threshold is taken as is.
 */
import { describe, expect, it } from 'vitest';

import { derivedNoise, givenNoise, MIN_NOISE_PCT, NOISE_SDS } from '../../src/analysis/noise.js';

describe('noise threshold', () => {
  it('takes the median of the usable coefficients, whatever their order', () => {
    // Usable: 0.05, 0.01, 0.03 (sorted 0.01, 0.03, 0.05): median 0.03.
    const n = derivedNoise([0.05, -0.02, Infinity, 0.01, NaN, 0.03]);
    expect(n.medianCv).toBeCloseTo(0.03, 15);
    expect(n.rows).toBe(3);
    expect(n.pct).toBeCloseTo(NOISE_SDS * 0.03 * 100, 12);
    expect(n.source).toBe('derived');
    // Even count: the mean of the middle two (0.02 and 0.04 of 0.06, 0.02, 0.04, 0).
    expect(derivedNoise([0.06, 0.02, 0.04, 0]).medianCv).toBeCloseTo(0.03, 15);
  });

  it('is at least the minimum, and says when it had nothing to derive from', () => {
    expect(derivedNoise([0, 0, 0])).toEqual({ pct: MIN_NOISE_PCT, source: 'derived', medianCv: 0, rows: 3 });
    expect(derivedNoise([NaN, -1])).toEqual({ pct: MIN_NOISE_PCT, source: 'derived', medianCv: null, rows: 0 });
  });

  it('a given threshold is the threshold', () => {
    expect(givenNoise(0.25)).toEqual({ pct: 0.25, source: 'given', medianCv: null, rows: 0 });
  });
});
