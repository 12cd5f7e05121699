/**
 * Speedup, efficiency and will-it-scale's `linear` column, from the 1-thread
 * row of each series. Recomputed over a whole set of rows, so they come out
 * the same whatever order the rows were measured in (interleaved runs finish
 * configurations in random order) or however they were split (shards).
 */

/** Columns that, with threads, identify a row; without threads, its series. */
export const SERIES_COLUMNS = [
  'target',
  'workload',
  'journal',
  'mount_options',
  'lock',
  'strategy',
  'profile',
] as const;

type Cells = Record<string, string | number | undefined>;

const num = (v: string | number | undefined): number =>
  typeof v === 'number' ? v : v === undefined || v.trim() === '' ? NaN : Number(v);

export function seriesKey(row: Cells): string {
  return JSON.stringify(SERIES_COLUMNS.map((c) => String(row[c] ?? '')));
}

/**
 * Sets `speedup`, `efficiency` and `linear_faults_per_sec` on every row in
 * place from its series' 1-thread mean; NaN (an empty cell) where the series
 * has no 1-thread row.
 */
export function applySpeedups<T extends Cells>(rows: T[]): T[] {
  const baseline = new Map<string, number>();
  for (const r of rows) if (num(r.threads) === 1) baseline.set(seriesKey(r), num(r.faults_per_sec_mean));
  for (const r of rows) {
    const threads = num(r.threads);
    const mean = num(r.faults_per_sec_mean);
    const b = baseline.get(seriesKey(r));
    const cells = r as Cells;
    if (b === undefined || !(b > 0)) {
      cells.speedup = NaN;
      cells.efficiency = NaN;
      cells.linear_faults_per_sec = NaN;
      continue;
    }
    cells.speedup = threads === 1 ? 1 : mean / b;
    cells.efficiency = threads === 1 ? 1 : mean / b / threads;
    cells.linear_faults_per_sec = threads === 1 ? mean : b * threads;
  }
  return rows;
}
