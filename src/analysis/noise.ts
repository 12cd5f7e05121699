/**
 * The noise threshold of a comparison (Criterion's `noise_threshold`): a
 * change smaller than it is reported as within noise even when a test calls
 * it significant, because a systematic shift of that size happens between two
 * sweeps of the same code (the machine's load, frequency and caches drift)
 * and a test on within-sweep runs cannot see it.
 *
 * Unless given, it is derived from the files themselves: twice the median,
 * over every compared row of both files, of the runs' coefficient of
 * variation (standard deviation / mean), i.e. a swing of two typical
 * run-to-run standard deviations, and at least 1% (Criterion's default).
 */

export const MIN_NOISE_PCT = 1;
/** Standard deviations of one run that a change must exceed. */
export const NOISE_SDS = 2;

export interface NoiseThreshold {
  /** Percent. */
  readonly pct: number;
  /** 'given' (--noise) or 'derived' (from the files' spread). */
  readonly source: 'given' | 'derived';
  /** The median coefficient of variation it came from (derived only), as a ratio. */
  readonly medianCv: number | null;
  /** How many coefficients of variation went into the median. */
  readonly rows: number;
}

const medianOf = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The threshold from coefficients of variation (one per row and side; non-finite ones are skipped). */
export function derivedNoise(cvs: readonly number[]): NoiseThreshold {
  const usable = cvs.filter((c) => Number.isFinite(c) && c >= 0);
  if (usable.length === 0) return { pct: MIN_NOISE_PCT, source: 'derived', medianCv: null, rows: 0 };
  const medianCv = medianOf(usable);
  return { pct: Math.max(MIN_NOISE_PCT, NOISE_SDS * medianCv * 100), source: 'derived', medianCv, rows: usable.length };
}

export function givenNoise(pct: number): NoiseThreshold {
  return { pct, source: 'given', medianCv: null, rows: 0 };
}
