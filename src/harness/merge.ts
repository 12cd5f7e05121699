/**
 * Merging the CSVs of a sharded sweep (`--shard K/N`) into one: the shards
 * must be slices of one sweep (the same columns, the same run-wide settings:
 * target, profile, harness version, window, warm-up, pages, time scale, tick,
 * observer interval, cores) and no configuration may be in two of them. The
 * merged rows get their speedup, efficiency and linear columns recomputed,
 * since a series' 1-thread row may have run in another shard. The `.runs.csv`
 * sidecars are merged too when every shard has one.
 */
import { parseCsv } from '../rows/codec.js';
import { parseResultsCsv, parseRunsCsv } from '../rows/read.js';
import type { Row } from '../rows/rows.js';
import { KEY_COLUMNS, keyText, rowKey, type RunRecord } from '../rows/runs.js';
import { applySpeedups, seriesKey } from '../rows/speedup.js';
import { resultsCsv, runsCsv } from '../rows/write.js';
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
  const rows: Row[] = [];
  const where = new Map<string, string>();
  const settings = new Map<string, { value: string; file: string }>();
  for (const s of shards) {
    if (headerOf(s.csv).join(',') !== header.join(',')) {
      throw new UsageError(`merge: ${quote(s.label)} has other columns than ${quote(first.label)}: not shards of one sweep`);
    }
    for (const row of parseResultsCsv(s.csv, `shard ${quote(s.label)}`)) {
      for (const col of RUN_WIDE_COLUMNS) {
        const v = String(row[col]);
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
      rows.push(row);
    }
  }
  // Series in order of first appearance, thread counts ascending within each.
  const seriesOrder = new Map<string, number>();
  for (const row of rows) if (!seriesOrder.has(seriesKey(row))) seriesOrder.set(seriesKey(row), seriesOrder.size);
  const sorted = rows.sort((a, b) => seriesOrder.get(seriesKey(a))! - seriesOrder.get(seriesKey(b))! || a.threads - b.threads);
  applySpeedups(sorted);

  let runs: string | null = null;
  if (shards.every((s) => s.runs !== null)) {
    const records: RunRecord[] = shards.flatMap((s) => parseRunsCsv(s.runs!, `shard sidecar of ${quote(s.label)}`));
    const byKey = new Map<string, RunRecord[]>();
    for (const r of records) byKey.set(rowKey(r), [...(byKey.get(rowKey(r)) ?? []), r]);
    // Sidecar lines in the merged rows' order; a line without a row (an interrupted configuration) has nothing to join.
    runs = runsCsv(sorted.flatMap((r) => byKey.get(rowKey(r)) ?? []));
  }
  return { csv: resultsCsv(sorted), runs, rows: sorted.length };
}
