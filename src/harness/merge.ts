/**
 * Merging the CSVs of a sharded sweep (`--shard K/N`) into one: the shards
 * must be slices of one sweep (the same columns, the same run-wide settings:
 * target, profile, harness version, window, warm-up, pages, time scale, tick,
 * observer interval, cores) and no configuration may be in two of them. The
 * merged rows get their speedup, efficiency and linear columns recomputed,
 * since a series' 1-thread row may have run in another shard. The `.runs.csv`
 * sidecars are merged too when every shard has one.
 */
import { KEY_COLUMNS, keyText, parseResultsText, parseRunsText, rowKey, RUNS_COLUMNS } from '../analysis/compare.js';
import type { RecordLike } from '../analysis/usl.js';
import { csvLine, parseCsv } from '../rows/csv.js';
import { applySpeedups, seriesKey } from '../rows/speedup.js';
import { quote, UsageError } from './errors.js';

/** Columns every row of every shard must agree on. */
export const RUN_WIDE_COLUMNS = [
  'target',
  'profile',
  'harness_version',
  'duration_sec',
  'warmup_sec',
  'pages',
  'time_scale',
  'tick_ms',
  'observer_interval_ms',
  'cores',
] as const;

export interface ShardText {
  /** How the file is named in messages. */
  readonly label: string;
  readonly csv: string;
  /** The `.runs.csv` sidecar's text, or null when there is none. */
  readonly runs: string | null;
}

export interface Merged {
  /** The merged results CSV. */
  readonly csv: string;
  /** The merged sidecar; null unless every shard had one. */
  readonly runs: string | null;
  readonly rows: number;
}

const headerOf = (text: string): string[] => parseCsv(text.replace(/^\uFEFF/, ''))[0] ?? [];

export function mergeShards(shards: readonly ShardText[]): Merged {
  if (shards.length < 2) throw new UsageError(`merge: expected at least two shard CSVs, got ${shards.length}; run with --help for usage`);
  const first = shards[0]!;
  const header = headerOf(first.csv);
  const rows: { row: RecordLike; file: string }[] = [];
  const where = new Map<string, string>();
  const settings = new Map<string, { value: string; file: string }>();
  for (const s of shards) {
    const h = headerOf(s.csv);
    if (h.join(',') !== header.join(',')) {
      throw new UsageError(`merge: ${quote(s.label)} has other columns than ${quote(first.label)}: not shards of one sweep`);
    }
    for (const row of parseResultsText(s.csv, `shard ${quote(s.label)}`)) {
      for (const col of RUN_WIDE_COLUMNS) {
        if (!header.includes(col)) continue;
        const v = String(row[col] ?? '');
        const seen = settings.get(col);
        if (!seen) settings.set(col, { value: v, file: s.label });
        else if (seen.value !== v) {
          throw new UsageError(`merge: ${quote(seen.file)} and ${quote(s.label)} differ in ${col} (${quote(seen.value)} and ${quote(v)}): not shards of one sweep`);
        }
      }
      const key = rowKey(row);
      const other = where.get(key);
      if (other !== undefined) {
        throw new UsageError(`merge: ${keyText(row, KEY_COLUMNS)} is in both ${quote(other)} and ${quote(s.label)}: shards must not overlap`);
      }
      where.set(key, s.label);
      rows.push({ row, file: s.label });
    }
  }
  // Series in order of first appearance, thread counts ascending within each.
  const seriesOrder = new Map<string, number>();
  for (const { row } of rows) if (!seriesOrder.has(seriesKey(row))) seriesOrder.set(seriesKey(row), seriesOrder.size);
  const sorted = rows
    .map(({ row }) => ({ ...row }) as Record<string, string | number>)
    .sort((a, b) => seriesOrder.get(seriesKey(a))! - seriesOrder.get(seriesKey(b))! || Number(a.threads) - Number(b.threads));
  applySpeedups(sorted);
  const csv = csvLine(header) + sorted.map((r) => csvLine(header.map((c) => r[c]))).join('');

  let runs: string | null = null;
  if (shards.every((s) => s.runs !== null)) {
    const rowByKey = new Map(rows.map(({ row }) => [rowKey(row), row] as const));
    const byKey = new Map<string, string[]>();
    for (const s of shards) {
      const samples = parseRunsText(s.runs!, `shard sidecar of ${quote(s.label)}`);
      for (const [key, xs] of samples) {
        const row = rowByKey.get(key);
        if (!row) continue; // a sidecar line without a row (an interrupted configuration) has nothing to join
        byKey.set(key, xs.map((x, i) => csvLine(RUNS_COLUMNS.map((c) => (c === 'run' ? i + 1 : c === 'faults_per_sec' ? x : row[c])))));
      }
    }
    runs = csvLine(RUNS_COLUMNS) + sorted.flatMap((r) => byKey.get(rowKey(r)) ?? []).join('');
  }
  return { csv, runs, rows: sorted.length };
}
