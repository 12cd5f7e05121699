/**
 * The one writer of results files: the results CSV (header and one record per
 * row, in `COLUMNS` order) and its `.runs.csv` sidecar, each written whole and
 * atomically, so a reader or an interruption never sees half a file.
 */
import { csvLine, csvText } from './codec.js';
import { COLUMN_NAMES, type Row } from './rows.js';
import { RUNS_COLUMNS, sidecarPath, type RunRecord } from './runs.js';
import { writeFileAtomic } from './write-atomic.js';

/** A results CSV's text. */
export function resultsCsv(rows: readonly Row[]): string {
  return csvLine(COLUMN_NAMES) + csvText(rows.map((r) => COLUMN_NAMES.map((c) => r[c])));
}

/** A sidecar's text. */
export function runsCsv(runs: readonly RunRecord[]): string {
  return csvLine(RUNS_COLUMNS) + csvText(runs.map((r) => RUNS_COLUMNS.map((c) => r[c])));
}

/** Writes `csvPath` and its sidecar; `mkdir` creates the directory first. */
export function writeResultFiles(
  csvPath: string,
  rows: readonly Row[],
  runs: readonly RunRecord[],
  opts: { mkdir?: boolean } = {},
): void {
  writeFileAtomic(csvPath, resultsCsv(rows), opts);
  writeFileAtomic(sidecarPath(csvPath), runsCsv(runs), opts);
}
