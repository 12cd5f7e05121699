/**
 * uslBySeries' grouping and labels, and uslJson's shape for each state a
 * series can be in: refused, fitted without runs, fitted with intervals,
 * intervals refused, and a fit whose intervals were never computed.
 */
import { describe, expect, it } from 'vitest';

import { uslBySeries, uslJson, type UslSeries } from '../../src/analysis/usl-series.js';
import { uslThroughput, type RecordLike } from '../../src/analysis/usl.js';

const CURVE = { lambda: 1e6, sigma: 0.05, kappa: 0.001 };
const THREADS = [1, 2, 4, 8, 16, 32];

/** One row per thread count, exactly on `curve`, with `fields` as the series' key columns. */
const series = (fields: RecordLike, threads = THREADS, curve = CURVE): RecordLike[] =>
  threads.map((threads) => ({ ...fields, threads, faults_per_sec_mean: uslThroughput(curve, threads) }));

const BASE = { workload: 'w', journal: 'j', strategy: 's' };

describe('uslBySeries keys and labels', () => {
  it('reads a key column a row lacks as the empty string', () => {
    const [s, ...rest] = uslBySeries(series(BASE));
    expect(rest).toHaveLength(0);
    expect(s).toMatchObject({ target: '', workload: 'w', journal: 'j', lock: '', strategy: 's', profile: '' });
    expect(s!.label).toBe('w/j/s');
  });

  it('never runs two key columns together: ab + c and a + bc are two series', () => {
    const out = uslBySeries([
      ...series({ ...BASE, workload: 'ab', journal: 'c' }),
      ...series({ ...BASE, workload: 'a', journal: 'bc' }),
    ]);
    expect(out.map((s) => s.label)).toEqual(['ab/c/s', 'a/bc/s']);
  });

  it('adds to the label, in order, the mount options, lock, profile, target and mode where they differ', () => {
    const one = { ...BASE, mount_options: 'noatime', lock: 'spin', profile: 'p1', target: 't1', mode: 'm1' };
    const two = { ...BASE, mount_options: 'relatime', lock: 'rw', profile: 'p2', target: 't2', mode: 'm2' };
    expect(uslBySeries([...series(one), ...series(two)]).map((s) => s.label)).toEqual([
      'w/j/s/noatime/spin/p1/t1/m1',
      'w/j/s/relatime/rw/p2/t2/m2',
    ]);
    // Only the lock differs: only the lock is added.
    const locks = uslBySeries([...series({ ...one, lock: 'a' }), ...series({ ...one, lock: 'b' })]);
    expect(locks.map((s) => [s.label, s.lock])).toEqual([
      ['w/j/s/a', 'a'],
      ['w/j/s/b', 'b'],
    ]);
  });
});

describe('uslJson', () => {
  it('gives a refused series its label and reason only', () => {
    const json = uslJson(uslBySeries(series(BASE, [1, 2])));
    expect(json).toEqual([
      { series: 'w/j/s', refused: '2 distinct thread counts; the fit needs at least 3 (λ, σ, κ)' },
    ]);
  });

  it('without per-run samples: the fit, null intervals and the reason; no Infinity or NaN', () => {
    // Amdahl (κ = 0): no peak, so peakN is Infinity and the asymptote λ/σ = 1e7 is the peak throughput.
    // Three thread counts: no degree of freedom, so rse is NaN.
    const [s] = uslBySeries(series(BASE, [1, 2, 4], { lambda: 1e6, sigma: 0.1, kappa: 0 }));
    expect(s!.result.ok && s!.result.fit.rse).toBeNaN();
    const [j] = uslJson([s!]);
    expect(Object.keys(j!)).toEqual(['series', 'fit', 'sigma_ci95', 'kappa_ci95', 'peak_threads_ci95', 'ci95_refused']);
    expect(j).toMatchObject({
      series: 'w/j/s',
      sigma_ci95: null,
      kappa_ci95: null,
      peak_threads_ci95: null,
      ci95_refused: 'no per-run samples',
    });
    const fit = j!.fit as Record<string, unknown>;
    expect([fit.rse, fit.peakN, fit.points, fit.warning]).toEqual([
      null,
      null,
      3,
      'only 3 thread counts (< 6): σ and κ are rough',
    ]);
    expect(fit.peakThroughput as number).toBeCloseTo(1e7, -1);
    expect(fit.sigma as number).toBeCloseTo(0.1, 8);
  });

  it('with runs: the three intervals and the bootstrap replicates and seed, no refusal', () => {
    const rows = series(BASE);
    // Two runs per thread count, ±1% about the mean: every replicate fits.
    const runsOf = (r: RecordLike): number[] => {
      const x = r.faults_per_sec_mean as number;
      return [x * 0.99, x * 1.01];
    };
    const [j] = uslJson(uslBySeries(rows, { runsOf, bootstrap: { replicates: 20, seed: 7 } }));
    expect(j!.bootstrap).toEqual({ replicates: 20, seed: 7 });
    expect(j).not.toHaveProperty('ci95_refused');
    for (const name of ['sigma_ci95', 'kappa_ci95', 'peak_threads_ci95']) {
      const ci = j![name] as [number, number];
      expect(ci).toHaveLength(2);
      expect(ci[0]).toBeLessThanOrEqual(ci[1]);
    }
  });

  it('with too few runs at a thread count: null intervals and the bootstrap reason', () => {
    const runsOf = (r: RecordLike): number[] | undefined => (r.threads === 4 ? [1] : [1, 2]);
    const [j] = uslJson(uslBySeries(series(BASE), { runsOf, bootstrap: { replicates: 5 } }));
    expect(j).toMatchObject({
      sigma_ci95: null,
      kappa_ci95: null,
      peak_threads_ci95: null,
      ci95_refused: 'fewer than 2 runs at thread count 4',
    });
    expect(j).not.toHaveProperty('bootstrap');
  });

  it('says "not fitted" for a fitted series whose intervals were never computed', () => {
    const [s] = uslBySeries(series(BASE));
    const bare: UslSeries = { ...s!, intervals: null };
    const [j] = uslJson([bare]);
    expect(j).toMatchObject({
      sigma_ci95: null,
      kappa_ci95: null,
      peak_threads_ci95: null,
      ci95_refused: 'not fitted',
    });
  });
});
