/**
 * The regularized incomplete beta function against its closed forms:
 * I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b and I_x(a, b) + I_{1−x}(b, a) = 1,
 * on both sides of the continued fraction's switch point and with a shape
 * below 1/2 (where ln Γ needs its reflection); and Student's t CDF against
 * its closed forms for 1 and 2 degrees of freedom.
 */
import { describe, expect, it } from 'vitest';

import { incompleteBeta, tCdf } from '../../src/analysis/stats.js';

const XS = [0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99];

describe('incompleteBeta', () => {
  it.each([0.25, 0.5, 2, 7.5])('I_x(%s, 1) = x^a', (a) => {
    for (const x of XS) expect(incompleteBeta(x, a, 1)).toBeCloseTo(x ** a, 12);
  });

  it.each([0.3, 1, 3, 12])('I_x(1, %s) = 1 − (1 − x)^b', (b) => {
    for (const x of XS) expect(incompleteBeta(x, 1, b)).toBeCloseTo(1 - (1 - x) ** b, 12);
  });

  it('is symmetric: I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    for (const [a, b] of [
      [2, 5],
      [0.4, 3],
      [10, 0.7],
    ] as const) {
      for (const x of XS) expect(incompleteBeta(x, a, b) + incompleteBeta(1 - x, b, a)).toBeCloseTo(1, 12);
    }
  });

  it('is 0 at and below 0, 1 at and above 1', () => {
    expect([incompleteBeta(0, 2, 3), incompleteBeta(-1, 2, 3)]).toEqual([0, 0]);
    expect([incompleteBeta(1, 2, 3), incompleteBeta(2, 2, 3)]).toEqual([1, 1]);
  });
});

describe('tCdf', () => {
  it('matches the Cauchy CDF at 1 degree of freedom and the closed form at 2', () => {
    for (const t of [-30, -2, -0.5, 0, 0.5, 2, 30]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
  });

  it('is NaN for a NaN statistic', () => {
    expect(tCdf(NaN, 3)).toBeNaN();
  });
});
