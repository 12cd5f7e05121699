/**
 * The seeded generator a virtual run draws its start-time skew and its
 * tie-breaking ranks from (mulberry32, as the analysis layer's resampling
 * uses; this layer may not import that one), so a run is the same for the
 * same seed on every machine.
 */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
