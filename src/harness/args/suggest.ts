/** "Did you mean": the known name nearest a mistyped one, as git and cargo suggest. */

/** Edit distance with adjacent swaps (optimal string alignment): `--thraeds` is one edit from `--threads`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The one candidate `word` most likely meant, or null: the nearest within a
 * third of its length in edits, or the only one it is a prefix of
 * (`--thread` → `--threads`). A tie between two nearest suggests neither.
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const prefixed = candidates.filter((c) => c.startsWith(word) && word.length >= 4);
  if (prefixed.length === 1) return prefixed[0]!;
  const limit = Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3));
  let best: string | null = null;
  let bestD = Infinity;
  let tie = false;
  for (const c of candidates) {
    const dist = editDistance(word, c);
    if (dist < bestD) [best, bestD, tie] = [c, dist, false];
    else if (dist === bestD) tie = true;
  }
  return best !== null && bestD <= limit && !tie ? best : null;
}
