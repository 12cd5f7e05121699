/** One CPU's statistics for one lock, read from its LS_* words (layout.ts) as the tests compare them. */
import { LS_ACQ, LS_CONTENDED, LS_PARKS, LS_SPINS } from '../../src/model/layout.js';

export interface LockStats {
  readonly acq: number;
  readonly contended: number;
  readonly spins: number;
  readonly parks: number;
}

/** The statistics whose words start at `at` (a CPU's line plus CPU_LOCKSTATS, or a lock class's offset). */
export const lockStatsAt = (i32: Int32Array, at: number): LockStats => ({
  acq: Atomics.load(i32, at + LS_ACQ),
  contended: Atomics.load(i32, at + LS_CONTENDED),
  spins: Atomics.load(i32, at + LS_SPINS),
  parks: Atomics.load(i32, at + LS_PARKS),
});
