/**
 * When to stop repeating a configuration under `--runs auto` (mmtests keeps
 * sampling the same way): after at least `minRuns` runs, stop once the 95%
 * confidence interval of the mean (Student t) is no wider than `targetPct`
 * percent of the mean on either side, or when `maxRuns` runs are taken,
 * whichever comes first.
 */
import { summarize } from './stats.js';

export interface StoppingRule {
  /** Target half-width of the 95% CI, percent of the mean. */
  readonly targetPct: number;
  readonly minRuns: number;
  readonly maxRuns: number;
}

export const ADAPTIVE_DEFAULTS = { targetPct: 2, minRuns: 3, maxRuns: 30 } as const satisfies StoppingRule;

/** True when the runs' 95% CI half-width is at most `targetPct` of their mean (needs 2 runs and a positive mean). */
export function ciTargetMet(samples: readonly number[], targetPct: number): boolean {
  if (samples.length < 2) return false;
  const s = summarize(samples);
  return s.mean > 0 && s.ci95HalfWidth <= (targetPct / 100) * s.mean;
}

/** Whether to take another run of a configuration that has `samples` so far. */
export function wantsAnotherRun(samples: readonly number[], rule: StoppingRule): boolean {
  if (samples.length < rule.minRuns) return true;
  if (samples.length >= rule.maxRuns) return false;
  return !ciTargetMet(samples, rule.targetPct);
}
