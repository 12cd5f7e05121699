import { mean, median, sampleStandardDeviation, min, max } from 'simple-statistics';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  }
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction for I_x(a, b), modified Lentz (Numerical Recipes `betacf`). */
function betacf(a: number, b: number, x: number): number {
  const MAXIT = 10000;
  const EPS = 1e-15;
  const FPMIN = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAXIT; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  // The continued fraction converges fast only on this side; use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betacf(a, b, x)) / a;
  return 1 - (front * betacf(b, a, 1 - x)) / b;
}

/** P(T > t) for t >= 0; computed directly so small tails keep their precision. */
function tUpperTail(t: number, df: number): number {
  return 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** CDF of Student's t distribution with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  const tail = tUpperTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile (inverse CDF) of Student's t distribution, accurate to ~1e-10. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0,1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be > 0, got ${df}`);
  if (p === 0.5) return 0;
  // Solve on the upper tail rather than the CDF: 1 - p loses digits for p near 1.
  const tail = p > 0.5 ? 1 - p : p;
  const sign = p > 0.5 ? 1 : -1;
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return sign * Infinity;
  }
  for (let i = 0; i < 400 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
    const mid = 0.5 * (lo + hi);
    if (tUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return sign * 0.5 * (lo + hi);
}

/**
 * The median of `xs`, NaN of no samples: simple-statistics' median, which
 * throws on an empty array where a calibration wants "not measured".
 */
export function sampleMedian(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : median(xs as number[]); // simple-statistics does not mutate its input
}

export interface Summary {
  n: number;
  mean: number;
  median: number;
  stddev: number;
  cv: number;
  ci95Low: number;
  ci95High: number;
  ci95HalfWidth: number;
  min: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  if (n === 0) throw new RangeError('summarize: no samples');
  const xs = samples as number[]; // simple-statistics does not mutate its input
  const m = mean(xs);
  const sd = n > 1 ? sampleStandardDeviation(xs) : 0;
  // With one sample there are no degrees of freedom to estimate spread, so the
  // interval is undefined; NaN says so instead of claiming a zero-width CI.
  const half = n > 1 ? (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n) : NaN;
  return {
    n,
    mean: m,
    median: median(xs),
    stddev: sd,
    cv: m === 0 ? 0 : sd / m,
    ci95Low: m - half,
    ci95High: m + half,
    ci95HalfWidth: half,
    min: min(xs),
    max: max(xs),
  };
}

/** Nearest-rank percentile of an ascending array; q in [0, 1]. */
export function percentile(sorted: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`percentile: q must be in [0,1], got ${q}`);
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}
