/**
 * Shards: K/N, or auto from a Slurm array's or a Kubernetes Indexed Job's
 * variables, parsed or refused in one line; the N slices are disjoint, cover
 * the sweep and are deterministic, and their sizes and default names follow.
 */
import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import { checkShardCount, parseShard, shardedCsvPath, shardOf, shardSize } from '../../src/harness/shard.js';

describe('parseShard', () => {
  it('reads K/N', () => {
    expect(parseShard('--shard', '2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('--shard', '1/1')).toEqual({ index: 1, count: 1 });
  });

  it.each(['0/3', '4/3', '1/0', '2', 'a/b', '1/2/3', '-1/2', '', 'Auto'])(
    'refuses %j in one line naming the option',
    (raw) => {
      const err = refusal(() => parseShard('--shard', raw));
      expect(err.message).toMatch(/^--shard: '.*' is not allowed; /);
    },
  );
});

/** The error `f` throws, checked to be one UsageError line. */
function refusal(f: () => unknown): Error {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).not.toContain('\n');
  return err as Error;
}

describe('--shard auto', () => {
  const auto = (vars: Record<string, string>) => parseShard('--shard', 'auto', vars);

  it("reads a Slurm array task, counting from the array's first task", () => {
    // sbatch --array=0-3: task 2 is the third shard.
    expect(
      auto({
        SLURM_ARRAY_TASK_ID: '2',
        SLURM_ARRAY_TASK_COUNT: '4',
        SLURM_ARRAY_TASK_MIN: '0',
        SLURM_ARRAY_TASK_MAX: '3',
      }),
    ).toMatchObject({ index: 3, count: 4 });
    // --array=1-4: task 1 is the first.
    expect(
      auto({
        SLURM_ARRAY_TASK_ID: '1',
        SLURM_ARRAY_TASK_COUNT: '4',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '4',
      }),
    ).toMatchObject({ index: 1, count: 4 });
    // Without a count, the min and max (and step) give it: --array=10-16:2 has tasks 10, 12, 14, 16.
    expect(
      auto({
        SLURM_ARRAY_TASK_ID: '14',
        SLURM_ARRAY_TASK_MIN: '10',
        SLURM_ARRAY_TASK_MAX: '16',
        SLURM_ARRAY_TASK_STEP: '2',
      }),
    ).toMatchObject({ index: 3, count: 4 });
    // Without a min, task ids count from 0.
    expect(auto({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2' })).toMatchObject({ index: 1, count: 2 });
  });

  it("reads a Kubernetes Indexed Job's completion index and the count its manifest sets", () => {
    const s = auto({ JOB_COMPLETION_INDEX: '3', JOB_COMPLETIONS: '4' });
    expect(s).toMatchObject({ index: 4, count: 4 });
    expect(s.from).toBe('JOB_COMPLETION_INDEX=3 of JOB_COMPLETIONS=4');
  });

  it.each([
    [{}, /no scheduler task index is set \(SLURM_ARRAY_TASK_ID .*JOB_COMPLETION_INDEX .*\); give K\/N instead$/],
    [
      { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' },
      /index 4 \(counting from 0\) is outside the 4 tasks, 0\.\.3$/,
    ],
    [
      { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '1' },
      /index 6 \(counting from 0\) is outside the 3 tasks/,
    ],
    [{ SLURM_ARRAY_TASK_ID: '2' }, /neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is/],
    [{ SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' }, /SLURM_ARRAY_TASK_ID is 'x', not a whole number/],
    [
      { SLURM_ARRAY_TASK_ID: '11', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_MAX: '16', SLURM_ARRAY_TASK_STEP: '2' },
      /not on the array's range \(from 10 in steps of 2\)/,
    ],
    // As Slurm 22.05 sets them for --array=1,3,7.
    [
      {
        SLURM_ARRAY_TASK_ID: '3',
        SLURM_ARRAY_TASK_COUNT: '3',
        SLURM_ARRAY_TASK_MIN: '1',
        SLURM_ARRAY_TASK_MAX: '7',
        SLURM_ARRAY_TASK_STEP: '1',
      },
      /the array's 3 tasks are not one range from 1 to 7 in steps of 1; submit it as --array=0-2$/,
    ],
    [{ JOB_COMPLETION_INDEX: '0' }, /JOB_COMPLETION_INDEX is set but JOB_COMPLETIONS is not/],
    [{ JOB_COMPLETION_INDEX: '4', JOB_COMPLETIONS: '4' }, /index 4 \(counting from 0\) is outside the 4 tasks/],
    [{ JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '0' }, /the task count 0 is outside 1\.\.1000/],
  ])('refuses %j in one line', (vars, why) => {
    const err = refusal(() => auto(vars as Record<string, string>));
    expect(err.message).toMatch(/^--shard: 'auto' cannot be used: /);
    expect(err.message).toMatch(why);
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

describe("a shard's size, file name and count", () => {
  it('sizes add up to the sweep and match the slices', () => {
    for (const total of [1, 5, 8, 17]) {
      for (let n = 1; n <= total; n++) {
        const sizes = Array.from({ length: n }, (_, k) => shardSize(total, { index: k + 1, count: n }));
        expect(sizes.reduce((a, b) => a + b)).toBe(total);
        sizes.forEach((size, k) =>
          expect(size).toBe(shardOf(Array.from({ length: total }), { index: k + 1, count: n }).length),
        );
      }
    }
  });

  it("names each shard's default file after its sweep and place", () => {
    expect(shardedCsvPath('/r/faultscale-2026-12-04T17-00-00Z.csv', 'abc123', { index: 2, count: 4 })).toBe(
      '/r/faultscale-2026-12-04T17-00-00Z-abc123-2of4.csv',
    );
  });

  it('refuses more shards than configurations, since an empty shard could not say which sweep it is', () => {
    expect(() => checkShardCount('--shard', { index: 1, count: 3 }, 3)).not.toThrow();
    const err = refusal(() =>
      checkShardCount('--shard', { index: 4, count: 4, from: 'SLURM_ARRAY_TASK_ID=3 of 4 tasks from 0' }, 3),
    );
    expect(err.message).toBe(
      "--shard: '4/4' (SLURM_ARRAY_TASK_ID=3 of 4 tasks from 0) is not allowed; the sweep has 3 configurations, so at most 3 shards",
    );
  });
});
