/**
 * Merging the CSVs of a sharded sweep (`--shard K/N`) into one: the files
 * must be the whole set of one sweep's shards, each once and each whole
 * (shard-set.ts), with the same columns and the same run-wide settings
 * (target, profile, harness version, window, warm-up, pages, time scale,
 * tick, observer interval, and cores where the target runs on this machine's
 * cores: a virtual target's figures do not depend on them), and no
 * configuration may be in two of them. The merged rows are in the sweep's own
 * configuration order (row j of shard K is configuration (K - 1) + j N), so
 * they are the rows the sweep run whole writes, and get their speedup,
 * efficiency and linear columns recomputed, since a series' 1-thread row may
 * have run in another shard. The `.runs.csv` sidecars are merged too when
 * every shard has one.
 */
import { parseCsv } from '../rows/codec.js';
import { parseResultsCsv, parseRunsCsv } from '../rows/read.js';
import type { Row } from '../rows/rows.js';
import { KEY_COLUMNS, keyText, rowKey, type RunRecord } from '../rows/runs.js';
import { applySpeedups } from '../rows/speedup.js';
import { resultsCsv, runsCsv } from '../rows/write.js';
import { TARGETS } from '../targets/index.js';
import { quote, UsageError } from './errors.js';
import { checkEndsWhole, checkShardSet, identifyShard, type ShardId } from './shard-set.js';

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

/** Whether a row's figures are the same on any host: a simulating target's are (virtual CPUs, virtual time). */
const hostFree = (row: Row): boolean =>
  Object.hasOwn(TARGETS, row.target) && TARGETS[row.target as keyof typeof TARGETS].simulatesHardware;

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

/** A checked shard: what it says it is, and its rows in its file's (the sweep's) order. */
interface ReadShard {
  readonly id: ShardId;
  readonly rows: Row[];
}

function readShard(s: ShardText, header: readonly string[], firstLabel: string): ReadShard {
  const own = headerOf(s.csv);
  if (own.join(',') !== header.join(',')) {
    throw new UsageError(
      `merge: ${quote(s.label)} has other columns than ${quote(firstLabel)}: not shards of one sweep`,
    );
  }
  checkEndsWhole(s.label, s.csv);
  const rows = parseResultsCsv(s.csv, `shard ${quote(s.label)}`);
  return { id: identifyShard(s.label, own, rows), rows };
}

/** Refuses shards whose run-wide settings differ, or that hold one configuration twice. */
function checkSettings(shards: readonly ReadShard[]): void {
  const where = new Map<string, string>();
  const settings = new Map<string, { value: string; file: string }>();
  for (const { id, rows } of shards) {
    for (const row of rows) {
      for (const col of RUN_WIDE_COLUMNS) {
        if (col === 'cores' && hostFree(row)) continue;
        const v = String(row[col]);
        const seen = settings.get(col);
        if (!seen) settings.set(col, { value: v, file: id.label });
        else if (seen.value !== v) {
          throw new UsageError(
            `merge: ${quote(seen.file)} and ${quote(id.label)} differ in ${col} (${quote(seen.value)} and ${quote(v)}): not shards of one sweep`,
          );
        }
      }
      const key = rowKey(row);
      const other = where.get(key);
      if (other !== undefined) {
        throw new UsageError(
          `merge: ${keyText(row, KEY_COLUMNS)} is in both ${quote(other)} and ${quote(id.label)}: shards must not overlap`,
        );
      }
      where.set(key, id.label);
    }
  }
}

export function mergeShards(shards: readonly ShardText[]): Merged {
  if (shards.length < 1)
    throw new UsageError('merge: expected the shard CSVs of one sweep, got none; run with --help for usage');
  const header = headerOf(shards[0]!.csv);
  const read = shards.map((s) => readShard(s, header, shards[0]!.label));
  checkShardSet(read.map((r) => r.id));
  checkSettings(read);
  // Back into the sweep's order: configuration i ran as row floor(i / N) of shard (i mod N) + 1.
  const sorted: Row[] = [];
  for (const { id, rows } of read) rows.forEach((row, j) => (sorted[id.index - 1 + j * id.count] = row));
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
