/**
 * The USL per series with intervals from the rows' runs: the JSON carries
 * sigma_ci95, kappa_ci95 and peak_threads_ci95, the table shows them, and a
 * sweep with too few thread counts gets one line instead of a table.
 */
import { describe, expect, it } from 'vitest';

import { rowKey } from '../../src/rows/runs.js';
import { mulberry32 } from '../../src/model/prng.js';
import { uslBySeries, uslJson } from '../../src/analysis/usl-series.js';
import { uslThroughput, type RecordLike } from '../../src/analysis/usl.js';
import { formatUslTable } from '../../src/output/usl-table.js';
import { MODEL_KEY } from '../helpers/rows.js';

function sweep(
  threads: readonly number[],
  runs: number,
  kappa: number,
): { rows: RecordLike[]; runs: Map<string, number[]> } {
  const rng = mulberry32(5);
  const rows: RecordLike[] = [];
  const byKey = new Map<string, number[]>();
  for (const strategy of ['eager', 'lazytime']) {
    for (const threadsN of threads) {
      const xs = Array.from(
        { length: runs },
        () => uslThroughput({ lambda: 1e6, sigma: 0.04, kappa }, threadsN) * (1 + 0.03 * (2 * rng() - 1)),
      );
      const row = {
        ...MODEL_KEY,
        strategy,
        threads: threadsN,
        faults_per_sec_mean: xs.reduce((a, b) => a + b, 0) / xs.length,
      };
      rows.push(row);
      byKey.set(rowKey(row), xs);
    }
  }
  return { rows, runs: byKey };
}

describe('uslBySeries with runs', () => {
  it('puts the three intervals, each [low, high], in the JSON', () => {
    const s = sweep([1, 2, 4, 8, 16, 32], 4, 0.001);
    const json = uslJson(uslBySeries(s.rows, { runsOf: (r) => s.runs.get(rowKey(r)), bootstrap: { replicates: 200 } }));
    expect(json).toHaveLength(2);
    for (const j of json) {
      const fit = j.fit as { sigma: number; kappa: number; peakN: number; rse: number };
      expect(Object.keys(fit)).not.toContain('r2');
      expect(fit.rse).toBeGreaterThan(0);
      for (const [name, point] of [
        ['sigma_ci95', fit.sigma],
        ['kappa_ci95', fit.kappa],
        ['peak_threads_ci95', fit.peakN],
      ] as const) {
        const ci = j[name] as [number, number];
        expect(ci).toHaveLength(2);
        expect(ci[0]).toBeLessThanOrEqual(point);
        expect(ci[1]).toBeGreaterThanOrEqual(point);
      }
    }
    // JSON has no Infinity: an unbounded end is null.
    const amdahl = sweep([1, 2, 4, 8], 4, 0);
    const text = JSON.stringify(
      uslJson(uslBySeries(amdahl.rows, { runsOf: (r) => amdahl.runs.get(rowKey(r)), bootstrap: { replicates: 200 } })),
    );
    expect(JSON.parse(text)[0].peak_threads_ci95[1]).toBeNull();
  });

  it('shows the intervals in the table', () => {
    const s = sweep([1, 2, 4, 8, 16, 32], 4, 0.001);
    const text = formatUslTable(
      uslBySeries(s.rows, { runsOf: (r) => s.runs.get(rowKey(r)), bootstrap: { replicates: 100 } }),
    );
    const eager = text.split('\n').find((l) => l.includes('/eager'))!;
    expect(eager).toMatch(
      /0\.0\d+ \[0\.0\d+, 0\.0\d+\]\s+1\.\d+e-3 \[\d\.\d+e-\d, \d\.\d+e-\d\]\s+\S+\s+\d+\.\d \[\d+\.\d, \d+\.\d\]/,
    );
    expect(text).toMatch(/95% bootstrap interval/);
  });

  it('prints one line, not a table, when no series has enough thread counts', () => {
    const s = sweep([1, 2], 3, 0.001);
    const text = formatUslTable(uslBySeries(s.rows, { runsOf: (r) => s.runs.get(rowKey(r)) }));
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^Universal Scalability Law.*not fitted: 2 distinct thread counts; the fit needs at least 3/);
  });
});
