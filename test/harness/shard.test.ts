/** Shards: K/N parsed or refused in one line; the N slices are disjoint, cover the sweep and are deterministic. */
import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { parseShard, shardOf } from '../../src/harness/shard.js';

describe('parseShard', () => {
  it('reads K/N', () => {
    expect(parseShard('--shard', '2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('--shard', '1/1')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/3', '4/3', '1/0', '2', 'a/b', '1/2/3', '-1/2', ''])('refuses %j in one line naming the option', (raw) => {
    let err: unknown;
    try {
      parseShard('--shard', raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/^--shard: '.*' is not allowed; /);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('shardOf', () => {
  it('splits into disjoint slices that together are the sweep, the same every time', () => {
    const configs = Array.from({ length: 17 }, (_, i) => `c${i}`);
    for (const n of [1, 2, 3, 5, 17, 20]) {
      const slices = Array.from({ length: n }, (_, k) => shardOf(configs, { index: k + 1, count: n }));
      expect(slices.flat().sort()).toEqual([...configs].sort());
      expect(new Set(slices.flat()).size).toBe(configs.length);
      expect(slices.map((s) => s.length).every((l) => Math.abs(l - configs.length / n) < 1)).toBe(true);
      expect(shardOf(configs, { index: 1, count: n })).toEqual(slices[0]);
    }
    expect(shardOf(configs, null)).toEqual(configs);
  });
});
