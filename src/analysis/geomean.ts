/**
 * The geometric mean over matched configurations: one figure for "faster or
 * slower overall" in which every configuration weighs the same, whatever its
 * throughput (an arithmetic mean of faults/s would be the fastest rows'
 * change). The geometric mean of the ratios new/base equals the ratio of the
 * two geometric means.
 */

export interface GeoMean {
  readonly base: number;
  readonly next: number;
  /** (next / base − 1) × 100. */
  readonly changePct: number;
  /** Pairs used (both means positive and finite). */
  readonly pairs: number;
}

/** Geometric means of the paired values; null when no pair has both values positive. */
export function geoMean(pairs: readonly (readonly [number, number])[]): GeoMean | null {
  const usable = pairs.filter(([a, b]) => a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b));
  if (usable.length === 0) return null;
  const logMean = (i: 0 | 1): number => usable.reduce((acc, p) => acc + Math.log(p[i]), 0) / usable.length;
  const base = Math.exp(logMean(0));
  const next = Math.exp(logMean(1));
  return { base, next, changePct: (next / base - 1) * 100, pairs: usable.length };
}
