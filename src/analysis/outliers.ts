/**
 * Outlying runs by the modified z-score of Iglewicz and Hoaglin (1993, "How
 * to Detect and Handle Outliers"): M = 0.6745 (x − median) / MAD, MAD the
 * median absolute deviation from the median; |M| > 3.5 marks an outlier.
 * Median and MAD are not pulled by the outlier itself, as mean and standard
 * deviation are, so one wild run among a few cannot hide. 0.6745 is the
 * normal distribution's 0.75 quantile: it makes MAD estimate σ for normal data.
 *
 * When more than half the runs are equal, MAD is 0 and M is undefined; then
 * the mean absolute deviation from the median stands in, scaled by 1.253314
 * (√(π/2), which makes it estimate σ for normal data), as IBM SPSS does.
 * Runs are only marked, never dropped.
 */
import { median } from 'simple-statistics';

export const OUTLIER_Z = 3.5;
const MAD_TO_SIGMA = 0.6745;
const MEAN_AD_TO_SIGMA = 1.253314;

/** Each sample's modified z-score (0 for every sample when all are equal). */
export function modifiedZScores(xs: readonly number[]): number[] {
  if (xs.length === 0) return [];
  const m = median(xs as number[]);
  const dev = xs.map((x) => Math.abs(x - m));
  const mad = median(dev);
  if (mad > 0) return xs.map((x) => (MAD_TO_SIGMA * (x - m)) / mad);
  const meanAd = dev.reduce((a, b) => a + b, 0) / dev.length;
  if (meanAd > 0) return xs.map((x) => (x - m) / (MEAN_AD_TO_SIGMA * meanAd));
  return xs.map(() => 0);
}

export interface OutlierRun {
  /** Run number, from 1, in the order the samples were given. */
  readonly run: number;
  readonly value: number;
  /** Modified z-score. */
  readonly z: number;
}

/** Runs whose modified z-score is beyond ±`threshold`. */
export function outlierRuns(xs: readonly number[], threshold = OUTLIER_Z): OutlierRun[] {
  return modifiedZScores(xs).flatMap((z, i) => (Math.abs(z) > threshold ? [{ run: i + 1, value: xs[i]!, z }] : []));
}
