/** The clocks every thread of a run shares, and timestamp truncation. */
import { CTL_EPOCH_F64 } from './layout.js';

export type FineClock = () => number;

/**
 * CLOCK_MONOTONIC in milliseconds: one clock for every thread of the process.
 * (performance.now() counts from each worker's own start, and lining those up
 * through performance.timeOrigin leaves sub-millisecond skew between threads,
 * which would misorder stores and polls.)
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Model time in microseconds since the run's epoch, from a clock shared by all threads. */
export function sharedFineClock(f64: Float64Array): FineClock {
  return () => Math.floor((monotonicMs() - f64[CTL_EPOCH_F64]!) * 1000);
}

/** timestamp_truncate: a model time in µs, truncated to a granularity in ns (s_time_gran). */
export function truncateToGran(us: number, granNs: number): number {
  if (granNs === 1) return us;
  return Math.floor((Math.floor((us * 1000) / granNs) * granNs) / 1000);
}
