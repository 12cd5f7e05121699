/**
 * The USL fit's search: a boundary model (κ = 0 or σ = 0) is preferred only
 * while it fits within 1e-9 of SST, the search reaches the optimum from a
 * start on the axes, the residual standard error needs a degree of freedom,
 * and the peak of a zero curve is as `UslFit` defines it.
 */
import { describe, expect, it } from 'vitest';

import { fitUsl, uslPeak, uslThroughput, type UslFit, type UslPoint } from '../../src/analysis/usl.js';
import { fitted } from '../helpers/usl.js';

const NS = [1, 2, 4, 8, 16, 32, 64];

const at = (p: { lambda: number; sigma: number; kappa: number }, ns: readonly number[] = NS): UslPoint[] =>
  ns.map((n) => ({ n, x: uslThroughput(p, n) }));

const sstOf = (pts: readonly UslPoint[]): number => {
  const mean = pts.reduce((a, p) => a + p.x, 0) / pts.length;
  return pts.reduce((a, p) => a + (p.x - mean) ** 2, 0);
};

/**
 * The least SSE of the Amdahl model (κ = 0), found independently of the code
 * under test: λ in closed form for each σ, golden-section search over σ in
 * [0, 1] (the SSE is unimodal there for these curves).
 */
function amdahlSse(pts: readonly UslPoint[]): number {
  const sse = (s: number): number => {
    const g = pts.map((p) => p.n / (1 + s * (p.n - 1)));
    const lambda = pts.reduce((a, p, i) => a + g[i]! * p.x, 0) / g.reduce((a, gi) => a + gi * gi, 0);
    return pts.reduce((a, p, i) => a + (p.x - lambda * g[i]!) ** 2, 0);
  };
  const r = (Math.sqrt(5) - 1) / 2;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200; i++) {
    const c = hi - r * (hi - lo);
    const d = lo + r * (hi - lo);
    if (sse(c) < sse(d)) hi = d;
    else lo = c;
  }
  return sse((lo + hi) / 2);
}

const close = (f: UslFit, truth: { lambda: number; sigma: number; kappa: number }, rel: number): void => {
  expect(Math.abs(f.lambda / truth.lambda - 1)).toBeLessThan(rel);
  expect(Math.abs(f.sigma / truth.sigma - 1)).toBeLessThan(rel);
  expect(Math.abs(f.kappa / truth.kappa - 1)).toBeLessThan(rel);
};

describe('the simpler model, within 1e-9 of SST', () => {
  it('gives κ = 0 exactly when the Amdahl fit misses by less than 1e-9·SST', () => {
    const pts = at({ lambda: 1e6, sigma: 0.05, kappa: 1e-7 });
    // The premise, checked independently: κ = 1e-7 moves the curve by too little for the Amdahl fit to miss by 1e-9·SST.
    expect(amdahlSse(pts)).toBeLessThan(1e-9 * sstOf(pts));
    const f = fitted(pts);
    expect(f.kappa).toBe(0);
    expect(f.peakN).toBe(Infinity);
    // σ absorbs the little κ did (X(64) is lower by about 64·63·1e-7 / 4.15 = 1e-4 of itself).
    expect(f.sigma).toBeCloseTo(0.05, 4);
  });

  it('keeps κ when the Amdahl fit misses by more than 1e-9·SST, though by less than 1e-8·SST', () => {
    const truth = { lambda: 1e6, sigma: 0.05, kappa: 3e-7 };
    const pts = at(truth);
    const ratio = amdahlSse(pts) / sstOf(pts);
    expect(ratio).toBeGreaterThan(3e-9);
    expect(ratio).toBeLessThan(1e-8);
    // Exact data: the least-squares optimum is the curve itself.
    close(fitted(pts), truth, 1e-6);
  });

  it('gives σ = 0 exactly when contention is far below what the data can show', () => {
    // σ = 1e-13 moves X(64) by about 63·1e-13 of itself: an SSE some 1e-22 of SST.
    const f = fitted(at({ lambda: 1e6, sigma: 1e-13, kappa: 0.002 }));
    expect(f.sigma).toBe(0);
    expect(f.kappa).toBeCloseTo(0.002, 12);
    expect(f.peakN).toBeCloseTo(Math.sqrt(1 / 0.002), 6);
  });
});

describe('the search', () => {
  const truth = { lambda: 1e6, sigma: 0.05, kappa: 0.001 };

  it('recovers an exact curve to 1e-8 from the grid', () => {
    close(fitted(at(truth)), truth, 1e-8);
  });

  it('reaches the interior optimum from a start on either axis or at the origin', () => {
    for (const start of [
      { sigma: 0, kappa: 0 },
      { sigma: 0.05, kappa: 0 },
      { sigma: 0, kappa: 0.001 },
      { sigma: 0.04, kappa: 0.0012 },
    ]) {
      const r = fitUsl(at(truth), { start });
      expect(r.ok).toBe(true);
      if (r.ok) close(r.fit, truth, 1e-8);
    }
  });

  it('fits the boundary models from a start too: Amdahl and coherency-only curves come back exactly', () => {
    const amdahl = { lambda: 2e5, sigma: 0.08, kappa: 0 };
    const a = fitUsl(at(amdahl), { start: { sigma: 0.05, kappa: 0.001 } });
    expect(a.ok && [a.fit.kappa, a.fit.peakN]).toEqual([0, Infinity]);
    if (a.ok) expect(a.fit.sigma).toBeCloseTo(0.08, 8);
    const coherency = { lambda: 2e5, sigma: 0, kappa: 0.003 };
    const c = fitUsl(at(coherency), { start: { sigma: 0.05, kappa: 0.001 } });
    expect(c.ok && c.fit.sigma).toBe(0);
    if (c.ok) expect(c.fit.kappa).toBeCloseTo(0.003, 10);
  });
});

describe('residual standard error and peak at the edges', () => {
  it('is NaN with exactly 3 points, even when the curve cannot pass through them', () => {
    // Superlinear: X(4)/X(1) = 100 > 4, which no σ, κ ≥ 0 allows, so the SSE is positive.
    const pts = [
      { n: 1, x: 1 },
      { n: 2, x: 10 },
      { n: 4, x: 100 },
    ];
    const f = fitted(pts);
    const sse = pts.reduce((a, p) => a + (p.x - uslThroughput(f, p.n)) ** 2, 0);
    expect(sse).toBeGreaterThan(0);
    expect(f.rse).toBeNaN();
    // A fourth point gives one degree of freedom: √(SSE / 1).
    const g = fitted([...pts, { n: 8, x: 1000 }]);
    const sse4 = [...pts, { n: 8, x: 1000 }].reduce((a, p) => a + (p.x - uslThroughput(g, p.n)) ** 2, 0);
    expect(g.rse).toBeCloseTo(Math.sqrt(sse4), 6);
  });

  it('puts the peak of a zero curve with σ = κ = 0 at infinity, throughput Infinity as UslFit says', () => {
    expect(uslPeak({ lambda: 0, sigma: 0, kappa: 0 })).toEqual({ peakN: Infinity, peakThroughput: Infinity });
  });
});
