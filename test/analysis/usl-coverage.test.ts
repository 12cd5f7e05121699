/**
 * The USL bootstrap's 95% intervals cover the true coefficients about 95% of
 * the time: over 200 independent data sets drawn from a known curve, the
 * share of intervals holding the true σ, and the true κ, lies in
 * [0.92, 0.98] (the binomial spread of a true 0.95 over 200 trials is
 * ±0.015 per standard error).
 *
 * The setting is the production one (1000 replicates, seed 1) except where
 * that would be slow: four thread counts rather than a sweep's six or more
 * (each replicate refits, and a fit's cost grows with its points), and ten
 * runs per thread count, where a percentile bootstrap of means no longer
 * understates their spread much ((n−1)/n of the variance).
 */
import { describe, expect, it } from 'vitest';

import { bootstrapUsl, type Interval, type RunsAtThreads } from '../../src/analysis/usl-bootstrap.js';
import { fitUsl, uslThroughput } from '../../src/analysis/usl.js';
import { mulberry32, type Rng } from '../../src/model/prng.js';

const TRUE = { lambda: 1e6, sigma: 0.05, kappa: 0.002 };
const NS = [1, 4, 16, 32];
const RUNS = 10;
const CV = 0.02;
const DATA_SETS = 200;

const gauss = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const holds = (i: Interval, v: number): boolean => (i[0] ?? -Infinity) <= v && v <= (i[1] ?? Infinity);

describe('USL bootstrap coverage', () => {
  it(`95% intervals hold the true σ and κ in 92-98% of ${DATA_SETS} data sets`, () => {
    let sigma = 0;
    let kappa = 0;
    for (let s = 1; s <= DATA_SETS; s++) {
      const rng = mulberry32(1000 + s);
      const groups: RunsAtThreads[] = NS.map((n) => ({
        n,
        runs: Array.from({ length: RUNS }, () => uslThroughput(TRUE, n) * (1 + CV * gauss(rng))),
      }));
      const fit = fitUsl(groups.map((g) => ({ n: g.n, x: g.runs.reduce((a, b) => a + b, 0) / g.runs.length })));
      if (!fit.ok) throw new Error(fit.reason);
      const b = bootstrapUsl(groups, fit.fit);
      if (!b.ok) throw new Error(b.reason);
      expect(b.ci.replicates).toBe(1000);
      if (holds(b.ci.sigma, TRUE.sigma)) sigma++;
      if (holds(b.ci.kappa, TRUE.kappa)) kappa++;
    }
    const coverage = { sigma: sigma / DATA_SETS, kappa: kappa / DATA_SETS };
    console.log(`USL bootstrap coverage over ${DATA_SETS} data sets: ${JSON.stringify(coverage)}`);
    for (const c of Object.values(coverage)) {
      expect(c).toBeGreaterThanOrEqual(0.92);
      expect(c).toBeLessThanOrEqual(0.98);
    }
  }, 600_000);
});
