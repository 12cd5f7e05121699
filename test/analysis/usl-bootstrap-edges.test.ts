/**
 * The USL bootstrap at its edges: runs that cannot move a mean give intervals
 * of zero width, non-finite runs are not runs, a refusal names the thread
 * counts it lacks, and data no replicate can fit is refused as such.
 */
import { describe, expect, it } from 'vitest';

import { bootstrapUsl, type RunsAtThreads } from '../../src/analysis/usl-bootstrap.js';
import { fitUsl, uslThroughput, type UslFit } from '../../src/analysis/usl.js';

const TRUE = { lambda: 1e6, sigma: 0.05, kappa: 0.002 };

/** `count(n)` copies of the curve's value at each thread count: every resample of them has the same mean. */
const flat = (ns: readonly number[], count: (n: number) => number): RunsAtThreads[] =>
  ns.map((n) => ({ n, runs: Array.from({ length: count(n) }, () => uslThroughput(TRUE, n)) }));

function fitOf(groups: readonly RunsAtThreads[]): UslFit {
  const r = fitUsl(groups.map((g) => ({ n: g.n, x: uslThroughput(TRUE, g.n) })));
  if (!r.ok) throw new Error(r.reason);
  return r.fit;
}

describe('bootstrapUsl edges', () => {
  it('gives zero-width intervals at the fit when each thread count repeats one value, whatever its run count', () => {
    // Two runs at some thread counts, three at others: a mean that summed a draw too many, or divided wrongly,
    // would scale some thread counts more than others and move σ and κ.
    const groups = flat([1, 2, 4, 8, 16, 32], (n) => (n % 4 === 0 ? 3 : 2));
    const fit = fitOf(groups);
    const r = bootstrapUsl(groups, fit, { replicates: 3, seed: 11 });
    if (!r.ok) throw new Error(r.reason);
    expect([r.ci.replicates, r.ci.seed]).toEqual([3, 11]);
    for (const [ci, point] of [
      [r.ci.sigma, fit.sigma],
      [r.ci.kappa, fit.kappa],
      [r.ci.peakN, fit.peakN],
    ] as const) {
      expect(ci[0]).not.toBeNull();
      expect(ci[1]).not.toBeNull();
      expect(Math.abs(ci[0]! / point - 1)).toBeLessThan(1e-6);
      expect(Math.abs(ci[1]! / point - 1)).toBeLessThan(1e-6);
    }
  });

  it('resamples two runs (the minimum) and leaves non-finite runs out of every mean', () => {
    // Each thread count: two equal finite runs and a NaN. Were the NaN drawn, that thread count's mean would be
    // NaN, the point dropped, and with three thread counts the replicate refused: every replicate fits instead.
    const groups = flat([1, 8, 32], () => 2).map((g) => ({ n: g.n, runs: [...g.runs, NaN] }));
    const r = bootstrapUsl(groups, fitOf(groups), { replicates: 20, seed: 2 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.ci.replicates).toBe(20);
  });

  it('counts only finite runs toward the minimum of two, and names the thread count, or counts, short of it', () => {
    const groups = flat([1, 2, 4, 8], () => 2);
    const fit = fitOf(groups);
    const one = groups.map((g) => (g.n === 4 ? { n: 4, runs: [g.runs[0]!, NaN, Infinity] } : g));
    expect(bootstrapUsl(one, fit, { replicates: 2 })).toEqual({
      ok: false,
      reason: 'fewer than 2 runs at thread count 4',
    });
    const two = groups.map((g) => (g.n === 2 || g.n === 8 ? { n: g.n, runs: [] } : g));
    expect(bootstrapUsl(two, fit, { replicates: 2 })).toEqual({
      ok: false,
      reason: 'fewer than 2 runs at thread counts 2, 8',
    });
  });

  it('is refused when no replicate can be fitted', () => {
    // No positive throughput in any run: every replicate's means are ≤ 0, and fitUsl refuses each.
    const groups: RunsAtThreads[] = [1, 2, 4].map((n) => ({ n, runs: [-1, 0] }));
    const fit = fitOf(flat([1, 2, 4], () => 2));
    expect(bootstrapUsl(groups, fit, { replicates: 5 })).toEqual({ ok: false, reason: 'no replicate could be fitted' });
  });
});
