/**
 * One sweep, whatever the node: the sweep id is a hash of the plan (the same
 * on a 2-core and a 64-core node for the virtual target, or with --threads
 * given; another for another seed or thread list; untouched by where files go
 * or how many runs go at once), a shard's default file name carries it and
 * the shard, and `--shard auto` reads the scheduler's variables at parse time.
 */
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseBenchArgs, type BenchEnv } from '../../src/harness/options.js';
import { scratchDir } from '../helpers/cli.js';
import { flatOptions } from '../helpers/flat-options.js';
import { usageError } from '../helpers/usage.js';

const tmp = scratchDir('sweepid');
const env = (cores = 2, vars: Record<string, string> = {}): BenchEnv => ({
  cores,
  now: new Date('2026-12-04T17:00:00Z'),
  cwd: tmp,
  vars,
});

function options(argv: string[], e: BenchEnv = env()) {
  const got = parseBenchArgs(argv, e);
  if (got.kind !== 'run') throw new Error('help');
  return flatOptions(got.options);
}
const id = (argv: string[], cores = 2): string => options(argv, env(cores)).sweepId;

const VIRTUAL = ['--target', 'virtual', '--strategy', 'eager,lazytime', '--threads', '1,2,4,8'];

describe('sweep id', () => {
  it('is the same on nodes with other cores for the virtual target, and with --threads given for the model', () => {
    expect(id(['--target', 'virtual'], 2)).toBe(id(['--target', 'virtual'], 64));
    expect(id(VIRTUAL, 2)).toMatch(/^[0-9a-f]{12}$/);
    expect(id(VIRTUAL, 2)).toBe(id(VIRTUAL, 64));
    expect(id(['--threads', '1,2,4'], 2)).toBe(id(['--threads', '1,2,4'], 64));
  });

  it('differs where the plan does: default threads from other cores, another seed, thread list or window', () => {
    // The model's default thread list follows the cores, so nodes with other cores plan other sweeps.
    expect(id([], 2)).not.toBe(id([], 64));
    expect(id([...VIRTUAL, '--seed', '2'])).not.toBe(id(VIRTUAL));
    expect(id([...VIRTUAL, '--threads', '1,2,4'])).not.toBe(id(VIRTUAL));
    expect(id([...VIRTUAL, '--duration', '0.04'])).not.toBe(id(VIRTUAL));
    expect(id([...VIRTUAL, '--topology', '2x2x1'])).not.toBe(id(VIRTUAL));
  });

  it('does not depend on files, --jobs or the shard', () => {
    const base = id(VIRTUAL);
    expect(id([...VIRTUAL, '--csv', 'x.csv', '--jobs', '1', '--force', '--keep-going'])).toBe(base);
    expect(id([...VIRTUAL, '--shard', '3/4'])).toBe(base);
  });

  it('can be given, and a given one must be fit for a file name', () => {
    expect(id([...VIRTUAL, '--sweep-id', 'run-7.a_b'])).toBe('run-7.a_b');
    for (const bad of ['', '-x', 'a/b', 'a b', 'x'.repeat(65)]) {
      expect(usageError([...VIRTUAL, '--sweep-id', bad], env()).message).toMatch(
        /^--sweep-id: '.*' is not allowed; give 1 to 64 letters/,
      );
    }
  });
});

describe("a shard's files and --shard auto", () => {
  it("names a shard's default CSV after the sweep and the shard; a given --csv stays as given", () => {
    const o = options([...VIRTUAL, '--shard', '2/4']);
    expect(o.csvPath).toBe(path.join(tmp, 'results', `faultscale-2026-12-04T17-00-00Z-${o.sweepId}-2of4.csv`));
    expect(options([...VIRTUAL]).csvPath).toBe(path.join(tmp, 'results', 'faultscale-2026-12-04T17-00-00Z.csv'));
    expect(options([...VIRTUAL, '--shard', '2/4', '--csv', 'mine.csv']).csvPath).toBe(path.join(tmp, 'mine.csv'));
  });

  it('reads the shard from a Slurm array task or a Kubernetes completion index', () => {
    const slurm = { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' };
    expect(options([...VIRTUAL, '--shard', 'auto'], env(2, slurm)).shard).toMatchObject({ index: 4, count: 4 });
    expect(
      options([...VIRTUAL, '--shard', 'auto'], env(2, { JOB_COMPLETION_INDEX: '0', JOB_COMPLETIONS: '8' })).shard,
    ).toMatchObject({ index: 1, count: 8 });
  });

  it('refuses auto without a scheduler, and more shards than the sweep has configurations', () => {
    expect(usageError([...VIRTUAL, '--shard', 'auto'], env()).message).toMatch(
      /^--shard: 'auto' cannot be used: no scheduler task index is set/,
    );
    // 2 strategies x 4 thread counts: 8 configurations.
    expect(options([...VIRTUAL, '--shard', '8/8']).shard).toMatchObject({ index: 8, count: 8 });
    expect(usageError([...VIRTUAL, '--shard', '9/9'], env()).message).toBe(
      "--shard: '9/9' is not allowed; the sweep has 8 configurations, so at most 8 shards",
    );
  });
});
