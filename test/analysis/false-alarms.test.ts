/**
 * compare's false-alarm rate over many pure-noise pairs: two result sets
 * whose runs come from one distribution, row by row. A verdict of
 * "regression" or "improvement" on such a pair is a false alarm; their rate
 * must not exceed the nominal α (Welch), or LKP's own null rate
 * 2 / C(2n, n), and the noise threshold can only lower it.
 */
import { describe, expect, it } from 'vitest';
import { compareRows, type CompareOptions, type Method } from '../../src/analysis/compare.js';
import { mulberry32, type Rng } from '../../src/model/prng.js';
import type { ResultSet } from '../../src/rows/read.js';
import { runsResultSet } from '../helpers/rows.js';

const PAIRS = 400;
const RUNS = 5;
const ALPHA = 0.05;
/** A normal deviate (Box–Muller). */
const gauss = (rng: Rng): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** PAIRS rows (one per thread count 1..PAIRS), each of RUNS runs at 1e6 faults/s with a 2% CV. */
function noiseSet(label: string, rng: Rng): ResultSet {
  const runs = Array.from({ length: PAIRS }, (_, i) => {
    const xs = Array.from({ length: RUNS }, () => 1e6 * (1 + 0.02 * gauss(rng)));
    return [i + 1, xs] as const;
  });
  return runsResultSet(label, runs);
}

/** The share of the pairs compare calls a change, over `seeds` independent sets of PAIRS pairs. */
function alarmRate(opts: CompareOptions, seeds: number): number {
  let alarms = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = mulberry32(seed);
    const report = compareRows(noiseSet('base', rng), noiseSet('new', rng), opts);
    expect(report.compared).toHaveLength(PAIRS);
    alarms += report.compared.filter((c) => c.verdict === 'regression' || c.verdict === 'improvement').length;
  }
  return alarms / (PAIRS * seeds);
}

/** Binomial standard error of a rate p over n trials. */
const se = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

/** LKP's chance that two sets of n runs from one distribution have disjoint ranges: 2 / C(2n, n). */
const lkpNull = (n: number): number => {
  let c = 1;
  for (let i = 1; i <= n; i++) c = (c * (n + i)) / i;
  return 2 / c;
};

describe("compare's false alarms on pure noise", () => {
  it('as a user runs it (derived noise threshold): no more than α, for every method', () => {
    const rates = Object.fromEntries(
      (['welch', 'lkp', 'both'] as Method[]).map((method) => [method, alarmRate({ method, alpha: ALPHA }, 1)]),
    );
    console.log(`false alarms over ${PAIRS} pure-noise pairs, derived noise threshold: ${JSON.stringify(rates)}`);
    for (const r of Object.values(rates)) expect(r).toBeLessThanOrEqual(ALPHA);
  }, 60_000);

  it("the bare tests (no noise threshold): Welch's rate is its α, LKP's its null rate, within sampling error", () => {
    const SEEDS = 3;
    const trials = PAIRS * SEEDS;
    const welch = alarmRate({ method: 'welch', alpha: ALPHA, noisePct: 0 }, SEEDS);
    const lkp = alarmRate({ method: 'lkp', noisePct: 0 }, SEEDS);
    console.log(
      `false alarms over ${trials} pure-noise pairs, no threshold: welch ${welch} (α ${ALPHA}), lkp ${lkp} (null ${lkpNull(RUNS).toFixed(4)})`,
    );
    // Welch's test is exact only asymptotically; 3 standard errors bound the sampling error of the rate.
    expect(welch).toBeLessThanOrEqual(ALPHA + 3 * se(ALPHA, trials));
    // And it does fire on noise: a test that never fires would pass the bound above too.
    expect(welch).toBeGreaterThan(ALPHA / 2);
    expect(Math.abs(lkp - lkpNull(RUNS))).toBeLessThanOrEqual(3 * se(lkpNull(RUNS), trials));
  }, 60_000);
});
