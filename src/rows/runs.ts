/**
 * What identifies a row, and the per-run sidecar: beside each results CSV
 * (`results/x.csv` → `results/x.runs.csv`) one line per run of each measured
 * row, so a comparison can test on the runs rather than their summary: the
 * row's key columns (rows.ts, role `key`), then `run,faults_per_sec`.
 */
import { KEY_COLUMNS, isTextColumn, type KeyColumn, type Row } from './rows.js';
import { SERIES_COLUMNS } from './speedup.js';

export { KEY_COLUMNS, type KeyColumn };
/**
 * The key columns every results file and sidecar has had (a series' columns
 * and threads); the others were added later and read as empty from older files.
 */
export const LEGACY_KEY_COLUMNS = [...SERIES_COLUMNS, 'threads'] as const;
/** The sidecar's header. */
export const RUNS_COLUMNS = [...KEY_COLUMNS, 'run', 'faults_per_sec'] as const;
/** Columns a sidecar must have. */
export const REQUIRED_RUNS_COLUMNS = [...LEGACY_KEY_COLUMNS, 'run', 'faults_per_sec'] as const;

/** One sidecar line: run `run` (from 1) of the configuration a row's key names. */
export type RunRecord = Pick<Row, KeyColumn> & { readonly run: number; readonly faults_per_sec: number };

type Keyed = Readonly<Partial<Record<KeyColumn, string | number | undefined>>>;

export function runRecord(row: Pick<Row, KeyColumn>, run: number, faultsPerSec: number): RunRecord {
  const key = Object.fromEntries(KEY_COLUMNS.map((k) => [k, row[k]])) as Pick<Row, KeyColumn>;
  return { ...key, run, faults_per_sec: faultsPerSec };
}

/** `results/x.csv` → `results/x.runs.csv` (a name without `.csv` just gains `.runs.csv`). */
export function sidecarPath(csvPath: string): string {
  return csvPath.replace(/\.csv$/i, '') + '.runs.csv';
}

/** A key cell as one canonical text: a number column's value as a number (or '' when empty), whether it came parsed or as text. */
function keyCell(k: KeyColumn, v: string | number | undefined): string {
  if (isTextColumn(k)) return String(v ?? '');
  if (v === undefined || (typeof v === 'string' && v.trim() === '')) return '';
  const n = Number(v);
  return Number.isFinite(n) ? String(n) : '';
}

/** The identity of a row: its key columns, numbers canonical. */
export function rowKey(r: Keyed): string {
  return JSON.stringify(KEY_COLUMNS.map((k) => keyCell(k, r[k])));
}

/** The key for people: `column=value` for the given key columns. */
export function keyText(r: Keyed, columns: readonly string[]): string {
  return columns
    .map((k) => {
      const v = (r as Record<string, unknown>)[k];
      return `${k}=${typeof v === 'number' && !Number.isFinite(v) ? '' : String(v ?? '')}`;
    })
    .join(' ');
}

/** Per-run faults/s by `rowKey`, in file order. */
export function runsByKey(records: readonly RunRecord[]): Map<string, number[]> {
  const runs = new Map<string, number[]>();
  for (const r of records) {
    const key = rowKey(r);
    runs.set(key, [...(runs.get(key) ?? []), r.faults_per_sec]);
  }
  return runs;
}
