/**
 * The USL fit recovers known coefficients from synthetic curves, refuses too
 * few thread counts, warns on few, and reports no peak without a κ term.
 */
import { describe, expect, it } from 'vitest';

import { parseResultsCsv } from '../../src/rows/read.js';
import { resultsCsv } from '../../src/rows/write.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { fitUsl, uslThroughput, type UslPoint } from '../../src/analysis/usl.js';
import { uslBySeries } from '../../src/analysis/usl-series.js';
import { formatUslTable } from '../../src/output/usl-table.js';
import { mulberry32 } from '../../src/model/prng.js';
import { fitted } from '../helpers/usl.js';

/** Standard normal deviates (Box–Muller) from a seeded uniform source. */
function gaussian(seed: number): () => number {
  const u = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const TRUE = { lambda: 1e6, sigma: 0.05, kappa: 0.002 };
const N = Array.from({ length: 32 }, (_, i) => i + 1);

function curve(
  p: { lambda: number; sigma: number; kappa: number },
  ns: readonly number[],
  noise = 0,
  seed = 1,
): UslPoint[] {
  const g = gaussian(seed);
  return ns.map((n) => ({ n, x: uslThroughput(p, n) * (1 + noise * g()) }));
}

describe('fitUsl', () => {
  it('recovers λ, σ, κ from a noise-free curve', () => {
    const f = fitted(curve(TRUE, N));
    expect(f.lambda / TRUE.lambda).toBeCloseTo(1, 6);
    expect(f.sigma).toBeCloseTo(TRUE.sigma, 6);
    expect(f.kappa).toBeCloseTo(TRUE.kappa, 7);
    expect(f.rse / TRUE.lambda).toBeLessThan(1e-6);
    expect(f.peakN).toBeCloseTo(Math.sqrt((1 - TRUE.sigma) / TRUE.kappa), 3);
    expect(f.peakThroughput).toBeCloseTo(uslThroughput(TRUE, f.peakN), -1);
    expect(f.points).toBe(32);
    expect(f.warning).toBeNull();
  });

  it.each([1, 2, 3, 4, 5])('recovers them within tolerance under 2%% multiplicative noise (seed %i)', (seed) => {
    const f = fitted(curve(TRUE, N, 0.02, seed));
    expect(Math.abs(f.lambda / TRUE.lambda - 1)).toBeLessThan(0.08);
    expect(Math.abs(f.sigma - TRUE.sigma)).toBeLessThan(0.02);
    expect(Math.abs(f.kappa - TRUE.kappa)).toBeLessThan(0.0005);
    // The RSE estimates the noise's size: 2% of each point, as a root mean square over the curve.
    const noiseRms = Math.sqrt(N.reduce((a, n) => a + (0.02 * uslThroughput(TRUE, n)) ** 2, 0) / N.length);
    expect(f.rse / noiseRms).toBeGreaterThan(0.6);
    expect(f.rse / noiseRms).toBeLessThan(1.4);
    const truePeak = Math.sqrt((1 - TRUE.sigma) / TRUE.kappa);
    expect(Math.abs(f.peakN / truePeak - 1)).toBeLessThan(0.2);
  });

  it('keeps σ and κ non-negative when the data would pull them below 0', () => {
    // Super-linear scaling: the unconstrained optimum has σ < 0.
    const f = fitted([1, 2, 4, 8, 16].map((n) => ({ n, x: 1000 * n ** 1.1 })));
    expect(f.sigma).toBeGreaterThanOrEqual(0);
    expect(f.kappa).toBeGreaterThanOrEqual(0);
  });

  it('refuses fewer than 3 distinct thread counts, with a reason', () => {
    const r = fitUsl(curve(TRUE, [1, 8]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/2 distinct thread counts.*at least 3/);
    // Repeating a thread count does not make it a third one.
    expect(fitUsl([...curve(TRUE, [1, 8]), ...curve(TRUE, [8])]).ok).toBe(false);
  });

  it('has no residual standard error with 3 points (no degree of freedom left)', () => {
    expect(fitted(curve(TRUE, [1, 2, 4])).rse).toBeNaN();
    expect(Number.isFinite(fitted(curve(TRUE, [1, 2, 4, 8])).rse)).toBe(true);
  });

  it.each([1, 2, 3])("lands on the grid search's fit when started near it (seed %i)", (seed) => {
    const points = curve(TRUE, [1, 2, 4, 8, 16, 32], 0.03, seed);
    const grid = fitted(points);
    const r = fitUsl(points, { start: { sigma: grid.sigma * 1.3, kappa: grid.kappa * 0.7 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.fit.sigma).toBeCloseTo(grid.sigma, 5);
    expect(r.fit.kappa).toBeCloseTo(grid.kappa, 7);
  });

  it('fits 4 thread counts with a warning', () => {
    const f = fitted(curve(TRUE, [1, 2, 4, 8]));
    expect(f.warning).toMatch(/only 4 thread counts/);
    expect(fitted(curve(TRUE, [1, 2, 3, 4, 5, 6])).warning).toBeNull();
  });

  it('gives peakN = Infinity and the asymptote λ/σ when κ = 0', () => {
    const amdahl = { lambda: 2e5, sigma: 0.1, kappa: 0 };
    const f = fitted(curve(amdahl, N));
    expect(f.kappa).toBe(0);
    expect(f.peakN).toBe(Infinity);
    expect(f.sigma).toBeCloseTo(0.1, 6);
    expect(f.peakThroughput / (amdahl.lambda / amdahl.sigma)).toBeCloseTo(1, 5);
  });
});

describe('uslBySeries and formatUslTable', () => {
  const base: Row = {
    ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? 'x' : 0])) as Row),
    runs: 1,
    status: 'ok',
    error: '',
  };
  const rows: Row[] = ['eager', 'lazytime'].flatMap((strategy, i) =>
    [1, 2, 4, 8, 16, 32].map((threads) => ({
      ...base,
      target: 'model',
      workload: 'shared-file',
      journal: 'jbd2',
      strategy,
      threads,
      faults_per_sec_mean: uslThroughput({ lambda: 1e6, sigma: 0.05 * (i + 1), kappa: 0.001 }, threads),
    })),
  );

  it('fits each series, from Row objects and from rows read back from a CSV alike', () => {
    const fromRows = uslBySeries(rows);
    const fromCsv = uslBySeries(parseResultsCsv(resultsCsv(rows), 'rows'));
    for (const series of [fromRows, fromCsv]) {
      expect(series.map((s) => s.strategy)).toEqual(['eager', 'lazytime']);
      const sigmas = series.map((s) => (s.result.ok ? s.result.fit.sigma : NaN));
      expect(sigmas[0]).toBeCloseTo(0.05, 5);
      expect(sigmas[1]).toBeCloseTo(0.1, 5);
    }
  });

  it('prints one line per series with the columns named', () => {
    const text = formatUslTable(
      uslBySeries([...rows, { ...rows[0]!, strategy: 'none', threads: 1, faults_per_sec_mean: 5 }]),
    );
    expect(text).toMatch(/series\s+λ\s+σ \[95% CI\]\s+κ \[95% CI\]\s+RSE\s+N\* \[95% CI\]\s+X\(N\*\)\s+note/);
    expect(text).not.toMatch(/R²/);
    // Exact curve: residuals are rounding only; no runs given, so no intervals and a note saying why.
    expect(text).toMatch(/\/eager\s+1\.00M\s+0\.0500\s+1\.00e-3\s+0\s+30\.8\s.*no intervals: no per-run samples/);
    expect(text).toMatch(/^not fitted \(1 distinct thread count.*\): .*\/none$/m);
  });
});
