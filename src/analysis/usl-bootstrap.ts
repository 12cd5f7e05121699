/**
 * 95% intervals for the USL coefficients and the peak, by the bootstrap
 * (Efron's percentile method): resample the runs within each thread count
 * with replacement, take each thread count's mean, refit, and read the 2.5th
 * and 97.5th percentiles of σ, κ and N* over the replicates. Resampling within
 * a thread count keeps the design (which thread counts were measured, how
 * often) and lets the spread of each thread count's runs, not a normal
 * approximation, decide how much the coefficients can move.
 *
 * A seeded generator makes the intervals a function of the data alone.
 */
import { mulberry32, randomIndex, type Rng } from '../model/prng.js';
import { fitUsl, uslPeak, type UslFit } from './usl.js';

/** The runs measured at one thread count (faults/s of each run). */
export interface RunsAtThreads {
  readonly n: number;
  readonly runs: readonly number[];
}

/** `[low, high]`; an end is null where the interval is unbounded there. */
export type Interval = readonly [number | null, number | null];

export interface UslIntervals {
  readonly sigma: Interval;
  readonly kappa: Interval;
  /** Unbounded above (null) when enough replicates have κ = 0, i.e. no peak. */
  readonly peakN: Interval;
  /** Replicates fitted. */
  readonly replicates: number;
  readonly seed: number;
}

export type UslIntervalResult = { ok: true; ci: UslIntervals } | { ok: false; reason: string };

export const BOOTSTRAP_REPLICATES = 1000;
export const BOOTSTRAP_SEED = 1;
/** Fewer runs than this at a thread count: nothing to resample there. */
export const BOOTSTRAP_MIN_RUNS = 2;

export interface BootstrapOptions {
  readonly replicates?: number;
  readonly seed?: number;
}

/**
 * Percentile q of ascending values, linear between order statistics (R's
 * type 7); an end that lands on or next to an infinite value is unbounded.
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = sorted[Math.floor(h)]!;
  const hi = sorted[Math.ceil(h)]!;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return lo + (h - Math.floor(h)) * (hi - lo);
}

function interval(values: number[]): Interval {
  values.sort((a, b) => a - b);
  return [quantileOfSorted(values, 0.025), quantileOfSorted(values, 0.975)];
}

function resampledMean(rng: Rng, runs: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < runs.length; i++) sum += runs[randomIndex(rng, runs.length)]!;
  return sum / runs.length;
}

/**
 * Intervals around `fit` (the fit to the thread counts' means). Refused when a
 * thread count has fewer than 2 runs: its mean could not move, and the
 * interval would claim a precision nobody measured.
 */
export function bootstrapUsl(
  groups: readonly RunsAtThreads[],
  fit: UslFit,
  opts: BootstrapOptions = {},
): UslIntervalResult {
  const replicates = opts.replicates ?? BOOTSTRAP_REPLICATES;
  const seed = opts.seed ?? BOOTSTRAP_SEED;
  const thin = groups.filter((g) => g.runs.filter(Number.isFinite).length < BOOTSTRAP_MIN_RUNS).map((g) => g.n);
  if (thin.length > 0) {
    return {
      ok: false,
      reason: `fewer than ${BOOTSTRAP_MIN_RUNS} runs at ${thin.length === 1 ? 'thread count' : 'thread counts'} ${thin.join(', ')}`,
    };
  }
  const clean = groups.map((g) => ({ n: g.n, runs: g.runs.filter(Number.isFinite) }));
  const rng = mulberry32(seed);
  const sigmas: number[] = [];
  const kappas: number[] = [];
  const peaks: number[] = [];
  for (let b = 0; b < replicates; b++) {
    const points = clean.map((g) => ({ n: g.n, x: resampledMean(rng, g.runs) }));
    // Starting from the full fit: a replicate's optimum is near it, and the grid would cost 100× more.
    const r = fitUsl(points, { start: fit });
    if (!r.ok) continue;
    sigmas.push(r.fit.sigma);
    kappas.push(r.fit.kappa);
    peaks.push(uslPeak(r.fit).peakN);
  }
  if (sigmas.length === 0) return { ok: false, reason: 'no replicate could be fitted' };
  return {
    ok: true,
    ci: { sigma: interval(sigmas), kappa: interval(kappas), peakN: interval(peaks), replicates: sigmas.length, seed },
  };
}
