/**
 * Bootstrap intervals for the USL: reproducible for a seed, covering the true
 * coefficients, narrower with less noise, unbounded where the data allow no
 * peak, and refused where a thread count has nothing to resample.
 */
import { describe, expect, it } from 'vitest';

import { mulberry32 } from '../../src/model/prng.js';
import { bootstrapUsl, quantileOfSorted, type RunsAtThreads } from '../../src/analysis/usl-bootstrap.js';
import { fitUsl, uslThroughput, type UslFit } from '../../src/analysis/usl.js';

const TRUE = { lambda: 1e6, sigma: 0.05, kappa: 0.002 };
const NS = [1, 2, 4, 8, 16, 32];

/** `runs` runs per thread count, each the curve times (1 + uniform noise of ±noise). */
function measured(p: typeof TRUE, noise: number, runs: number, seed: number): RunsAtThreads[] {
  const rng = mulberry32(seed);
  return NS.map((n) => ({
    n,
    runs: Array.from({ length: runs }, () => uslThroughput(p, n) * (1 + noise * (2 * rng() - 1))),
  }));
}

function fitOf(groups: readonly RunsAtThreads[]): UslFit {
  const r = fitUsl(groups.map((g) => ({ n: g.n, x: g.runs.reduce((a, b) => a + b, 0) / g.runs.length })));
  if (!r.ok) throw new Error(r.reason);
  return r.fit;
}

const width = (i: readonly [number | null, number | null]): number => (i[1] ?? Infinity) - (i[0] ?? -Infinity);

describe('quantileOfSorted', () => {
  it('interpolates between order statistics and is unbounded next to an infinite value', () => {
    expect(quantileOfSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([0, 10], 0.975)).toBeCloseTo(9.75, 12);
    expect(quantileOfSorted([1, 2, Infinity], 0.975)).toBeNull();
    expect(quantileOfSorted([1, 2, Infinity], 0.025)).toBeCloseTo(1.05, 12);
    expect(quantileOfSorted([], 0.5)).toBeNull();
  });
});

describe('bootstrapUsl', () => {
  const groups = measured(TRUE, 0.04, 5, 7);
  const fit = fitOf(groups);

  it('gives the same intervals for the same seed, other intervals for another', () => {
    const a = bootstrapUsl(groups, fit, { replicates: 200, seed: 3 });
    const b = bootstrapUsl(groups, fit, { replicates: 200, seed: 3 });
    const c = bootstrapUsl(groups, fit, { replicates: 200, seed: 4 });
    expect(a).toEqual(b);
    expect(a.ok && c.ok && a.ci.sigma[0] !== c.ci.sigma[0]).toBe(true);
  });

  it('brackets the fit and the true coefficients', () => {
    const r = bootstrapUsl(groups, fit, { replicates: 400 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { sigma, kappa, peakN } = r.ci;
    expect(r.ci.replicates).toBe(400);
    for (const [ci, point, truth] of [
      [sigma, fit.sigma, TRUE.sigma],
      [kappa, fit.kappa, TRUE.kappa],
      [peakN, fit.peakN, Math.sqrt((1 - TRUE.sigma) / TRUE.kappa)],
    ] as const) {
      expect(ci[0]).not.toBeNull();
      expect(ci[1]).not.toBeNull();
      expect(ci[0]!).toBeLessThanOrEqual(point);
      expect(ci[1]!).toBeGreaterThanOrEqual(point);
      expect(ci[0]!).toBeLessThanOrEqual(truth);
      expect(ci[1]!).toBeGreaterThanOrEqual(truth);
    }
  });

  it('narrows as the runs get less noisy', () => {
    const quiet = measured(TRUE, 0.005, 5, 7);
    const loud = bootstrapUsl(groups, fit, { replicates: 300 });
    const calm = bootstrapUsl(quiet, fitOf(quiet), { replicates: 300 });
    expect(loud.ok && calm.ok).toBe(true);
    if (!loud.ok || !calm.ok) return;
    expect(width(calm.ci.sigma)).toBeLessThan(width(loud.ci.sigma) / 3);
    expect(width(calm.ci.kappa)).toBeLessThan(width(loud.ci.kappa) / 3);
  });

  it('leaves the peak unbounded above when κ can be 0 (Amdahl data)', () => {
    const amdahl = measured({ lambda: 2e5, sigma: 0.1, kappa: 0 }, 0.05, 4, 11);
    const r = bootstrapUsl(amdahl, fitOf(amdahl), { replicates: 300 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ci.kappa[0]).toBe(0);
    expect(r.ci.peakN[1]).toBeNull();
    expect(r.ci.sigma[0]!).toBeLessThan(0.1);
    expect(r.ci.sigma[1]!).toBeGreaterThan(0.1);
  });

  it('refuses a thread count with fewer than 2 runs, naming it', () => {
    const thin = groups.map((g) => (g.n === 8 ? { n: 8, runs: g.runs.slice(0, 1) } : g));
    const r = bootstrapUsl(thin, fit);
    expect(r).toEqual({ ok: false, reason: 'fewer than 2 runs at thread count 8' });
  });
});
