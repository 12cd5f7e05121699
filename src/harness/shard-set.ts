/**
 * Whether a set of shard files is one whole sweep. Each row says which sweep
 * it belongs to (`sweep_id`), which shard ran it (`shard`, K/N) and how many
 * configurations the whole sweep has (`sweep_configurations`); shard K of N
 * over C configurations holds a known number of them (shard.ts). So a file
 * can be checked alone (one sweep, one shard, every configuration of its
 * share, none interrupted, ending on a line break) and the set as a whole
 * (one sweep, one count, each shard once and none missing). Every refusal is
 * one UsageError line naming the file and what is wrong.
 */
import type { Row } from '../rows/rows.js';
import { keyText } from '../rows/runs.js';
import { quote, UsageError } from './errors.js';
import { shardSize } from './shard.js';

/** What a shard file says it is. */
export interface ShardId {
  readonly label: string;
  readonly sweepId: string;
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  readonly configurations: number;
}

export const SHARD_COLUMNS = ['sweep_id', 'shard', 'sweep_configurations'] as const;

const fail = (message: string): UsageError => new UsageError(`merge: ${message}`);

/** The one value of `column` in every row of a file, or a refusal naming the two that differ. */
function oneValue(label: string, rows: readonly Row[], column: (typeof SHARD_COLUMNS)[number]): string {
  const values = [...new Set(rows.map((r) => String(r[column])))];
  if (values.length > 1)
    throw fail(
      `${quote(label)} mixes rows with ${column} ${quote(values[0]!)} and ${quote(values[1]!)}: not one shard's file`,
    );
  return values[0]!;
}

/** Every file the sweep writes ends each record with a line break; a file cut while being copied or written does not. */
export function checkEndsWhole(label: string, text: string): void {
  if (text.length > 0 && !/[\r\n]$/.test(text))
    throw fail(`${quote(label)} ends in the middle of a line: the file is truncated`);
}

/** A shard file's identity, after checking it is whole; `header` is its columns. */
export function identifyShard(label: string, header: readonly string[], rows: readonly Row[]): ShardId {
  const lacking = SHARD_COLUMNS.filter((c) => !header.includes(c));
  if (lacking.length > 0) {
    const cols = `${lacking.join(', ')} column${lacking.length > 1 ? 's' : ''}`;
    throw fail(
      `${quote(label)} has no ${cols}, so it cannot say which sweep and shard it is; rerun it with this faultscale`,
    );
  }
  if (rows.length === 0)
    throw fail(
      `${quote(label)} has a header but no rows: every shard has at least one configuration, so the file is truncated`,
    );
  const sweepId = oneValue(label, rows, 'sweep_id');
  const shard = oneValue(label, rows, 'shard');
  const m = /^(\d+)\/(\d+)$/.exec(shard);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || !(index >= 1 && index <= count))
    throw fail(`${quote(label)} has shard ${quote(shard)}, not K/N with K from 1 to N`);
  const configurations = Number(oneValue(label, rows, 'sweep_configurations'));
  if (!(Number.isInteger(configurations) && configurations >= count)) {
    throw fail(
      `${quote(label)} has sweep_configurations ${quote(String(rows[0]!.sweep_configurations))}, not a whole number of at least its ${count} shards`,
    );
  }
  const what = `${quote(label)} (shard ${shard} of sweep ${sweepId})`;
  const stopped = rows.find((r) => r.status === 'interrupted');
  if (stopped)
    throw fail(
      `${what} was interrupted at ${keyText(stopped, ['workload', 'journal', 'strategy', 'preset', 'threads'])}: rerun that shard`,
    );
  const want = shardSize(configurations, { index, count });
  if (rows.length !== want) {
    throw fail(
      `${what} has ${rows.length} of its ${want} configurations (${configurations} in the sweep): the file is truncated or its run stopped early; rerun that shard`,
    );
  }
  return { label, sweepId, index, count, configurations };
}

/** Refuses a set that is not exactly the shards of one sweep, each once. */
export function checkShardSet(ids: readonly ShardId[]): void {
  const first = ids[0]!;
  const other = ids.find((s) => s.sweepId !== first.sweepId);
  if (other) {
    throw fail(
      `${quote(first.label)} is sweep ${first.sweepId} but ${quote(other.label)} is sweep ${other.sweepId}: shards of different sweeps ` +
        '(another option, or a default --threads from a node with other cores); merge one sweep at a time',
    );
  }
  const otherCount = ids.find((s) => s.count !== first.count || s.configurations !== first.configurations);
  if (otherCount) {
    throw fail(
      `${quote(first.label)} is shard ${first.index}/${first.count} of ${first.configurations} configurations but ${quote(otherCount.label)} ` +
        `shard ${otherCount.index}/${otherCount.count} of ${otherCount.configurations}: the shards of one sweep split it one way`,
    );
  }
  const byIndex = new Map<number, ShardId>();
  for (const s of ids) {
    const twin = byIndex.get(s.index);
    if (twin)
      throw fail(
        `shard ${s.index}/${s.count} of sweep ${s.sweepId} is in both ${quote(twin.label)} and ${quote(s.label)}: give each shard once`,
      );
    byIndex.set(s.index, s);
  }
  const missing = Array.from({ length: first.count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    const names = missing.slice(0, 8).map((k) => `${k}/${first.count}`);
    const more = missing.length > 8 ? ` and ${missing.length - 8} more` : '';
    throw fail(
      `incomplete: sweep ${first.sweepId} is missing shard${missing.length > 1 ? 's' : ''} ${names.join(', ')}${more} ` +
        `(have ${ids.length} of ${first.count})`,
    );
  }
}
