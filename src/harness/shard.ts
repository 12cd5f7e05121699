/**
 * `--shard K/N`: the K-th of N disjoint, deterministic slices of a sweep's
 * configurations, so one sweep can be spread over machines (a CI matrix) and
 * the CSVs merged (`npm run merge`). Configuration i (in the sweep's own
 * order) belongs to shard (i mod N) + 1: every shard gets an even share of
 * every strategy and thread count, and the N shards together are the sweep.
 */
import { quote, UsageError } from './errors.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export const MAX_SHARDS = 1000;

export function parseShard(flag: string, raw: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const bad = (why: string): UsageError => new UsageError(`${flag}: ${quote(raw)} is not allowed; ${why}`, flag);
  if (!m) throw bad('give K/N, shard K of N, e.g. 1/4');
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
