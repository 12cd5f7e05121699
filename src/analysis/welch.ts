/** Welch's unequal-variance t-test, two-sided, from samples or from summary statistics. */
import { tCdf } from './stats.js';

export interface SampleStats {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
}

export interface WelchResult {
  /** t statistic of mean(b) − mean(a). */
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided p-value; NaN when a side has fewer than 2 samples. */
  readonly p: number;
  readonly meanA: number;
  readonly meanB: number;
}

export function sampleStats(xs: readonly number[]): SampleStats {
  const n = xs.length;
  const mean = n > 0 ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd };
}

/** Welch's unequal-variance t-test from summary statistics. */
export function welchFromStats(a: SampleStats, b: SampleStats): WelchResult {
  const base = { meanA: a.mean, meanB: b.mean };
  if (!(a.n >= 2 && b.n >= 2) || !Number.isFinite(a.sd) || !Number.isFinite(b.sd))
    return { t: NaN, df: NaN, p: NaN, ...base };
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const diff = b.mean - a.mean;
  if (va + vb === 0) {
    // No spread on either side: any difference is certain, none is certainly none.
    return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: a.n + b.n - 2, p: diff === 0 ? 1 : 0, ...base };
  }
  const t = diff / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  // 2·P(T ≤ −|t|): the lower tail keeps its precision for small p.
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  return { t, df, p, ...base };
}

/** Welch's t-test on two samples (b against a). */
export function welch(a: readonly number[], b: readonly number[]): WelchResult {
  return welchFromStats(sampleStats(a), sampleStats(b));
}
