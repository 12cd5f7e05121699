/**
 * `--shard K/N`: the K-th of N disjoint, deterministic slices of a sweep's
 * configurations, so one sweep can be spread over machines (a CI matrix) and
 * the CSVs merged (`npm run merge`). Configuration i (in the sweep's own
 * order) belongs to shard (i mod N) + 1: every shard gets an even share of
 * every strategy and thread count, and the N shards together are the sweep.
 * `--shard auto` takes K and N from a scheduler (shard-auto.ts).
 */
import { quote, UsageError } from './errors.js';
import { shardFromScheduler, type SchedulerVars } from './shard-auto.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
  /** Where `--shard auto` found it (the scheduler's variables); absent for K/N. */
  readonly from?: string;
}

export const MAX_SHARDS = 1000;

/** `vars`: the environment `auto` reads. */
export function parseShard(flag: string, raw: string, vars: SchedulerVars = {}): Shard {
  if (raw === 'auto') return shardFromScheduler(flag, vars, MAX_SHARDS);
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const bad = (why: string): UsageError => new UsageError(`${flag}: ${quote(raw)} is not allowed; ${why}`, flag);
  if (!m) throw bad('give K/N, shard K of N, e.g. 1/4, or auto');
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!(count >= 1 && count <= MAX_SHARDS)) throw bad(`N must be 1..${MAX_SHARDS}`);
  if (!(index >= 1 && index <= count)) throw bad(`K must be 1..N (1..${count})`);
  return { index, count };
}

/** The configurations of shard `shard` (all of them without one), in their order. */
export function shardOf<T>(configs: readonly T[], shard: Shard | null): T[] {
  if (shard === null) return configs.slice();
  return configs.filter((_, i) => i % shard.count === shard.index - 1);
}

/** How many of `total` configurations shard `shard` has. */
export function shardSize(total: number, shard: Shard): number {
  return Math.max(0, Math.ceil((total - (shard.index - 1)) / shard.count));
}

/** A shard's default results file: the default name with the sweep id and `KofN` added, so the shards of one sweep, and of sweeps started in the same second, never share one. */
export function shardedCsvPath(csvPath: string, sweepId: string, shard: Shard): string {
  return csvPath.replace(/\.csv$/i, '') + `-${sweepId}-${shard.index}of${shard.count}.csv`;
}

/** A shard must have a configuration: an empty one could not say which sweep it belongs to. */
export function checkShardCount(flag: string, shard: Shard, configurations: number): void {
  if (shard.count > configurations) {
    const from = shard.from ? ` (${shard.from})` : '';
    throw new UsageError(
      `${flag}: ${quote(`${shard.index}/${shard.count}`)}${from} is not allowed; the sweep has ${configurations} configurations, so at most ${configurations} shards`,
      flag,
    );
  }
}

/** The shard as its column writes it: `K/N` (`1/1` for a sweep run whole). */
export const shardText = (shard: Shard | null): string => (shard ? `${shard.index}/${shard.count}` : '1/1');
