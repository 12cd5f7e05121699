/**
 * The seeded draws of a virtual run: its start-time skew and its
 * tie-breaking ranks come from the model's generator (mulberry32), so a run
 * is the same for the same seed on every machine.
 */
import { mulberry32, type Rng } from '../../model/prng.js';

export const seededRandom = (seed: number): Rng => mulberry32(seed);

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function seededRanks(n: number, rng: () => number): Int32Array {
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rng() * (i + 1)));
    const t = r[i]!;
    r[i] = r[j]!;
    r[j] = t;
  }
  return r;
}
