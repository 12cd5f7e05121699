/**
 * The USL fit at its edges: the peak when contention alone stops scaling or
 * nothing does, points it must ignore, data it must refuse, and boundary
 * models (σ = 0) recovered exactly.
 */
import { describe, expect, it } from 'vitest';

import { fitUsl, uslPeak, uslThroughput, type UslPoint } from '../../src/analysis/usl.js';
import { fitted } from '../helpers/usl.js';

const at = (p: { lambda: number; sigma: number; kappa: number }, ns: readonly number[]): UslPoint[] =>
  ns.map((n) => ({ n, x: uslThroughput(p, n) }));

describe('uslThroughput and uslPeak', () => {
  it('X(N) = λN / (1 + σ(N−1) + κN(N−1)), worked by hand', () => {
    // N = 4: 1 + 0.1·3 + 0.01·4·3 = 1.42.
    expect(uslThroughput({ lambda: 1000, sigma: 0.1, kappa: 0.01 }, 4)).toBeCloseTo(4000 / 1.42, 9);
    expect(uslThroughput({ lambda: 1000, sigma: 0.1, kappa: 0.01 }, 1)).toBe(1000);
  });

  it('peaks at √((1−σ)/κ), at one thread when σ ≥ 1, and never without κ', () => {
    const p = uslPeak({ lambda: 1000, sigma: 0.19, kappa: 0.01 });
    expect(p.peakN).toBeCloseTo(9, 12);
    expect(p.peakThroughput).toBeCloseTo(uslThroughput({ lambda: 1000, sigma: 0.19, kappa: 0.01 }, 9), 9);
    expect(uslPeak({ lambda: 1000, sigma: 1, kappa: 0.01 })).toEqual({ peakN: 1, peakThroughput: 1000 });
    expect(uslPeak({ lambda: 1000, sigma: 1.5, kappa: 0 })).toEqual({ peakN: 1, peakThroughput: 1000 });
    expect(uslPeak({ lambda: 1000, sigma: 0.25, kappa: 0 })).toEqual({ peakN: Infinity, peakThroughput: 4000 });
    expect(uslPeak({ lambda: 1000, sigma: 0, kappa: 0 })).toEqual({ peakN: Infinity, peakThroughput: Infinity });
  });
});

describe('fitUsl edges', () => {
  it('fits coherency-only data with σ = 0 exactly', () => {
    const truth = { lambda: 5e4, sigma: 0, kappa: 0.004 };
    const f = fitted(at(truth, [1, 2, 4, 8, 16, 24, 32]));
    expect(f.sigma).toBe(0);
    expect(f.kappa).toBeCloseTo(truth.kappa, 9);
    expect(f.lambda / truth.lambda).toBeCloseTo(1, 9);
    expect(f.peakN).toBeCloseTo(Math.sqrt(1 / truth.kappa), 4);
  });

  it('ignores points without a positive, finite thread count or a finite throughput', () => {
    const truth = { lambda: 1e5, sigma: 0.05, kappa: 0.001 };
    const good = at(truth, [1, 2, 4, 8, 16, 32]);
    const bad: UslPoint[] = [
      { n: 0, x: 1e9 },
      { n: -4, x: 1e9 },
      { n: NaN, x: 1e9 },
      { n: Infinity, x: 1e9 },
      { n: 3, x: NaN },
      { n: 5, x: Infinity },
    ];
    const f = fitted([...bad, ...good]);
    expect(f.points).toBe(good.length);
    expect(f.sigma).toBeCloseTo(truth.sigma, 6);
    expect(f.kappa).toBeCloseTo(truth.kappa, 8);
    expect(f.warning).toBeNull();
  });

  it('names the count it refuses, in the singular for one, and refuses data with no positive throughput', () => {
    const one = fitUsl([
      { n: 4, x: 10 },
      { n: 4, x: 12 },
    ]);
    expect(one).toEqual({ ok: false, reason: '1 distinct thread count; the fit needs at least 3 (λ, σ, κ)' });
    expect(fitUsl([])).toEqual({ ok: false, reason: '0 distinct thread counts; the fit needs at least 3 (λ, σ, κ)' });
    expect(
      fitUsl([
        { n: 1, x: 0 },
        { n: 2, x: 0 },
        { n: 4, x: 0 },
      ]),
    ).toEqual({ ok: false, reason: 'no positive throughput to fit' });
  });

  it('warns with the number of thread counts below 6', () => {
    const truth = { lambda: 1e5, sigma: 0.05, kappa: 0.001 };
    expect(fitted(at(truth, [1, 2, 4, 8, 16])).warning).toBe('only 5 thread counts (< 6): σ and κ are rough');
    // Repeated counts add points, not thread counts.
    const f = fitted(at(truth, [1, 2, 4, 4, 8]));
    expect([f.points, f.warning]).toEqual([5, 'only 4 thread counts (< 6): σ and κ are rough']);
  });

  it('has a residual standard error of √(SSE / (points − 3))', () => {
    const truth = { lambda: 1e5, sigma: 0.05, kappa: 0.001 };
    const ns = [1, 2, 4, 8, 16, 32];
    // One point off the curve by d, the rest on it: the fit moves, so the SSE is at most d².
    const d = 2000;
    const pts = at(truth, ns).map((p, i) => (i === 3 ? { n: p.n, x: p.x + d } : p));
    const f = fitted(pts);
    const sse = pts.reduce((a, p) => a + (p.x - uslThroughput(f, p.n)) ** 2, 0);
    expect(f.rse).toBeCloseTo(Math.sqrt(sse / (ns.length - 3)), 6);
    expect(sse).toBeLessThanOrEqual(d * d);
    expect(sse).toBeGreaterThan(0);
  });
});
