/**
 * The change test of the Linux Kernel Performance robot (LKP, 0-day): a
 * change between two sets of runs counts only when their ranges do not
 * overlap, i.e. every run of one side is faster than every run of the other.
 * No distribution is assumed; with n runs a side, identical conditions
 * produce non-overlapping ranges with probability 2 / C(2n, n) (10% at 3
 * runs, 0.8% at 5), so more runs make it stricter.
 */

export interface RangeTest {
  /** True when max of one side is below min of the other. */
  readonly separated: boolean;
  /** Gap between the ranges (new min − base max when faster, base min − new max when slower); ≤ 0 when they overlap. */
  readonly gap: number;
}

/** Ranges need 2 runs a side: a single run's range is a point and separates from anything. */
export const LKP_MIN_RUNS = 2;

/** The LKP range test, b against a; null when a side has fewer than 2 runs. */
export function rangesTest(a: readonly number[], b: readonly number[]): RangeTest | null {
  if (a.length < LKP_MIN_RUNS || b.length < LKP_MIN_RUNS) return null;
  const aMin = Math.min(...a);
  const aMax = Math.max(...a);
  const bMin = Math.min(...b);
  const bMax = Math.max(...b);
  const gap = Math.max(bMin - aMax, aMin - bMax);
  return { separated: gap > 0, gap };
}
