import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { UsageError } from '../../src/harness/errors.js';
import {
  DEFAULTS,
  type BenchOptions,
  MAX_THREADS,
  checkWritable,
  helpText,
  parseBenchArgs,
} from '../../src/harness/options.js';
import { scratchDir } from '../helpers/cli.js';
import { flatOptions } from '../helpers/flat-options.js';
import { thrownBy } from '../helpers/thrown.js';
import { JOURNAL_NAMES } from '../../src/model/journals/index.js';
import { LOCK_KINDS } from '../../src/model/locks/kinds.js';
import { PROFILES, PROFILE_NAMES } from '../../src/model/profiles.js';
import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';
import { WORKLOAD_NAMES } from '../../src/model/workloads.js';
import { WESTMERE_EX_8S } from '../../src/targets/virtual/westmere-ex-8s.js';

// A scratch cwd with no results/ dir, so default-path parsing touches nothing real.
const tmp = scratchDir('options');

const NOW = new Date('2026-11-24T23:59:01.123Z');
const env = (cores = 2) => ({ cores, now: NOW, cwd: tmp });

function grouped(argv: string[], cores = 2) {
  const r = parseBenchArgs(argv, env(cores));
  if (r.kind !== 'run') throw new Error('expected a run result');
  return r.options;
}

const run = (argv: string[], cores = 2) => flatOptions(grouped(argv, cores));

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Asserts a one-line UsageError naming the option and the offending value. */
function expectUsage(argv: string[], option: string, value: string | null, extra?: RegExp): UsageError {
  const caught = thrownBy(() => parseBenchArgs(argv, env()));
  expect(caught).toBeInstanceOf(UsageError);
  const e = caught as UsageError;
  expect(e.name).toBe('UsageError');
  expect(e.message).not.toContain('\n');
  expect(e.message.startsWith(`${option}:`)).toBe(true);
  if (value !== null) expect(e.message).toMatch(new RegExp(`'${escapeRe(value)}'`));
  if (extra) expect(e.message).toMatch(extra);
  return e;
}

describe('defaults', () => {
  it('cores=2: every option in the group it fills', () => {
    expect(grouped([], 2)).toEqual({
      sweep: {
        target: 'model',
        threads: [1, 2],
        strategies: [...STRATEGY_NAMES],
        journals: ['jbd2'],
        workloads: ['separate-file'],
        lock: 'auto',
        presets: [],
        profile: { name: 'default', costProfile: PROFILES.default },
      },
      model: {
        pages: 32768,
        timeScale: 0.01,
        hz: 250,
        tickMs: 4,
        observerIntervalMs: 10,
        msyncEvery: 0,
        timeGranNs: 1,
        client: 'nfsv4',
      },
      plan: {
        quick: false,
        durationSec: 3,
        warmupSec: 1,
        runs: 5,
        adaptive: null,
        targetCiPct: 2,
        order: 'interleaved',
        seed: 1,
        shard: null,
        keepGoing: false,
        watchdogSec: 20,
        sweepId: expect.stringMatching(/^[0-9a-f]{12}$/) as string,
      },
      machine: {
        mode: 'threads',
        dir: os.tmpdir(),
        hardwareName: 'westmere-ex-8s',
        topology: null,
        jobs: 2,
        hardware: WESTMERE_EX_8S,
      },
      outputs: {
        csvPath: path.join(tmp, 'results', 'faultscale-2026-11-24T23-59-01Z.csv'),
        jsonPath: null,
        markdownPath: null,
        report: false,
        baselinePath: null,
        force: false,
        reportPath: null,
      },
      argv: [],
    } satisfies BenchOptions);
  });

  it('the model group lists its settings in the order rows record them', () => {
    expect(Object.keys(grouped(['--hz', '1000']).model)).toEqual([
      'pages',
      'timeScale',
      'hz',
      'tickMs',
      'observerIntervalMs',
      'msyncEvery',
      'timeGranNs',
      'client',
    ]);
  });

  it('--runs auto, --target-ci, --max-runs, --order, --seed and --shard', () => {
    const o = run([
      '--runs',
      'auto',
      '--target-ci',
      '1.5',
      '--max-runs',
      '12',
      '--order',
      'sequential',
      '--seed',
      '42',
      '--shard',
      '2/3',
    ]);
    expect(o.adaptive).toEqual({ targetPct: 1.5, minRuns: 3, maxRuns: 12 });
    expect(o.runs).toBe(12);
    expect(o.order).toBe('sequential');
    expect(o.seed).toBe(42);
    expect(o.shard).toEqual({ index: 2, count: 3 });
    expect(run(['--runs', 'auto']).adaptive).toEqual({ targetPct: 2, minRuns: 3, maxRuns: 30 });
    expect(run(['--runs', '4']).adaptive).toBeNull();
  });

  it('cores=16 and odd core counts', () => {
    expect(run([], 16).threads).toEqual([1, 2, 4, 8, 16]);
    expect(run([], 6).threads).toEqual([1, 2, 4, 6]);
    expect(run([], 1).threads).toEqual([1]);
    expect(run([], 1000).threads.at(-1)).toBe(MAX_THREADS);
  });

  it('does not create the default results dir or file', () => {
    const o = run([]);
    expect(fs.existsSync(path.dirname(o.csvPath))).toBe(false);
  });
});

describe('--threads', () => {
  it('accepts lists, ranges and max; sorts and dedupes', () => {
    expect(run(['--threads', '1,2,4']).threads).toEqual([1, 2, 4]);
    expect(run(['--threads', '1-4']).threads).toEqual([1, 2, 3, 4]);
    expect(run(['--threads', 'max'], 16).threads).toEqual([16]);
    expect(run(['--threads', '2,1,2']).threads).toEqual([1, 2]);
    expect(run(['--threads', '8,1-3,max,3'], 6).threads).toEqual([1, 2, 3, 6, 8]);
    expect(run(['--threads', '256']).threads).toEqual([256]);
  });

  it.each([
    ['0', '0'],
    ['-1', '-1'],
    ['257', '257'],
    ['1,0', '0'],
    ['0-4', '0-4'],
  ])('rejects out-of-range %s', (list, value) => {
    expectUsage(['--threads', list], '--threads', value, /1 to 256/);
  });

  it.each([
    ['abc', 'abc'],
    ['1.5', '1.5'],
    ['1-2-3', '1-2-3'],
    ['0x10', '0x10'],
  ])('rejects non-numbers %s', (list, value) => {
    expectUsage(['--threads', list], '--threads', value);
  });

  it('rejects reversed ranges and empty items', () => {
    expectUsage(['--threads', '4-2'], '--threads', '4-2', /backwards/);
    expectUsage(['--threads', '1,,2'], '--threads', '1,,2', /empty item/);
    expectUsage(['--threads', '1,'], '--threads', '1,', /empty item/);
    expectUsage(['--threads='], '--threads', '', /empty item/);
  });
});

describe('names', () => {
  it('accepts names, all, dedupes and orders canonically', () => {
    expect(run(['--strategy', 'lazytime,none,lazytime']).strategies).toEqual(['none', 'lazytime']);
    expect(run(['--strategy', 'all']).strategies).toEqual([...STRATEGY_NAMES]);
    expect(run(['--journal', 'all']).journals).toEqual([...JOURNAL_NAMES]);
    expect(run(['--journal', 'xfs-cil']).journals).toEqual(['xfs-cil']);
    expect(run(['--workload', 'all']).workloads).toEqual([...WORKLOAD_NAMES]);
    expect(run(['--lock', 'mcs']).lock).toBe('mcs');
    expect(run(['--profile', 'zero']).profile).toBe('zero');
  });

  const listsAll = (names: readonly string[]) => {
    const esc = names.map(escapeRe);
    return new RegExp(`allowed: .*${esc.join('.*')}`);
  };

  it.each([
    ['--strategy', [...STRATEGY_NAMES, 'all']],
    ['--journal', [...JOURNAL_NAMES, 'all']],
    ['--workload', [...WORKLOAD_NAMES, 'all']],
    ['--lock', [...LOCK_KINDS, 'auto']],
    ['--profile', [...PROFILE_NAMES]],
  ] as const)('%s rejects unknown names and lists the valid ones', (flag, allowed) => {
    expectUsage([flag, 'foo'], flag, 'foo', listsAll(allowed));
  });

  it('--profile loads a profile file by path, and says what is wrong with a bad one', () => {
    const good = path.join(tmp, 'p.json');
    fs.writeFileSync(good, JSON.stringify({ ...PROFILES.default, name: 'mine', version: 3 }));
    expect(run(['--profile', good]).costProfile).toMatchObject({ name: 'mine', version: 3, faultEntryNs: 600 });
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ ...PROFILES.default, faultEntryNs: -1 }));
    expectUsage(['--profile', bad], '--profile', bad, /"faultEntryNs" must be a number of nanoseconds >= 0/);
    expectUsage(['--profile', 'host'], '--profile', 'host', /run npm run calibrate first/);
  });

  it('rejects all for single-name options and unknown items inside lists', () => {
    expectUsage(['--lock', 'all'], '--lock', 'all');
    expectUsage(['--strategy', 'none,bogus'], '--strategy', 'bogus');
  });
});

describe('run plan options: one line naming the option and the value', () => {
  it.each([
    [['--runs', 'autox'], '--runs', 'autox', /or auto/],
    [['--runs', '0'], '--runs', '0', /1 to 1000|1 to 1000|from 1 to 1000/],
    [['--max-runs', '10'], '--max-runs', '10', /only with --runs auto/],
    [['--runs', 'auto', '--max-runs', '2'], '--max-runs', '2', /from 3 to 1000/],
    [['--target-ci', '0'], '--target-ci', '0', /greater than 0/],
    [['--order', 'random'], '--order', 'random', /interleaved or sequential/],
    [['--seed', '-1'], '--seed', '-1', /0 to 4294967295/],
    [['--shard', '3/2'], '--shard', '3/2', /K must be 1\.\.N/],
    [['--shard', 'half'], '--shard', 'half', /give K\/N/],
  ] as const)('%j', (argv, option, value, extra) => {
    expectUsage([...argv], option, value, extra);
  });
});

describe('numbers', () => {
  it('accepts plain decimals', () => {
    const o = run(['--duration', '0.5', '--warmup', '0', '--runs', '1', '--pages', '1', '--time-scale', '1']);
    expect(o).toMatchObject({ durationSec: 0.5, warmupSec: 0, runs: 1, pages: 1, timeScale: 1 });
    expect(run(['--observer-interval', '0']).observerIntervalMs).toBe(0);
    expect(run(['--hz', '1000'])).toMatchObject({ hz: 1000, tickMs: 1 });
    expect(run(['--hz', '300']).tickMs).toBeCloseTo(10 / 3, 12);
    expect(run([]).hz).toBe(250);
  });

  it.each(['0', '-1', 'abc', '', '1e', '1e3', '0x10', 'NaN', 'Infinity', '-Infinity', ' 3'])(
    '--duration rejects %j',
    (v) => {
      expectUsage([`--duration=${v}`], '--duration', v);
    },
  );

  it('rejects other bad numbers', () => {
    expectUsage(['--runs', '0'], '--runs', '0', /1 to 1000/);
    expectUsage(['--runs', '1001'], '--runs', '1001');
    expectUsage(['--runs', '2.5'], '--runs', '2.5', /integer/);
    expectUsage(['--pages', '1048577'], '--pages', '1048577');
    expectUsage(['--warmup', '-1'], '--warmup', '-1');
    expectUsage(['--time-scale', '0'], '--time-scale', '0');
    expectUsage(['--time-scale', '1.5'], '--time-scale', '1.5', /at most 1/);
    expectUsage(['--hz', '0'], '--hz', '0', /allowed: 100, 250, 300, or 1000/);
    expectUsage(['--hz', '200'], '--hz', '200', /allowed: 100, 250, 300, or 1000/);
    expectUsage(['--observer-interval', '-5'], '--observer-interval', '-5');
  });
});

describe('--msync-every, --time-gran, --client', () => {
  it('default to never, 1 ns and nfsv4, and take integers and names', () => {
    expect(run([])).toMatchObject({ msyncEvery: 0, timeGranNs: 1, client: 'nfsv4' });
    expect(run(['--msync-every', '64', '--time-gran', '1000000000', '--client', 'nfsv3'])).toMatchObject({
      msyncEvery: 64,
      timeGranNs: 1_000_000_000,
      client: 'nfsv3',
    });
  });

  it('reject a negative or fractional msync period, a granularity outside 1..1e9, an unknown client', () => {
    expectUsage(['--msync-every', '-1'], '--msync-every', '-1', /0 to/);
    expectUsage(['--msync-every', '2.5'], '--msync-every', '2.5', /integer/);
    expectUsage(['--time-gran', '0'], '--time-gran', '0', /1 to 1000000000/);
    expectUsage(['--time-gran', '1000000001'], '--time-gran', '1000000001');
    expectUsage(['--client', 'nfsv5'], '--client', 'nfsv5', /nfsv4 or nfsv3/);
  });
});

describe('syntax', () => {
  it('rejects unknown options and bare words', () => {
    expectUsage(['--bogus'], '--bogus', null, /unknown option/);
    expectUsage(['--bogus=1'], '--bogus', null, /unknown option/);
    expectUsage(['threads'], "'threads'", null, /unknown option/);
    expectUsage(['-t'], "'-t'", null, /unknown option/);
  });

  it('rejects a missing value at the end or before another option', () => {
    expectUsage(['--runs'], '--runs', null, /missing value/);
    expectUsage(['--runs', '--quick'], '--runs', null, /missing value/);
  });

  it('rejects a value on flags', () => {
    expectUsage(['--quick=yes'], '--quick', 'yes');
  });

  it('accepts --opt=value and --opt value alike; last occurrence wins', () => {
    expect(run(['--threads=1-3', '--runs=7', '--strategy=eager'])).toMatchObject({
      threads: [1, 2, 3],
      runs: 7,
      strategies: ['eager'],
    });
    expect(run(['--runs', '2', '--runs=9']).runs).toBe(9);
  });

  it('keeps a control character in a value on one line', () => {
    const e = expectUsage(['--runs', 'a\nb'], '--runs', 'a\\nb');
    expect(e.message).not.toContain('\n');
  });
});

describe('--quick', () => {
  it('sets quick defaults', () => {
    expect(run(['--quick'], 16)).toMatchObject({
      quick: true,
      threads: [1, 2],
      durationSec: 0.3,
      warmupSec: 0.1,
      runs: 3,
      pages: 4096,
      strategies: [...STRATEGY_NAMES],
    });
  });

  it('lets explicit options win regardless of order', () => {
    const want = { quick: true, threads: [4], durationSec: 2, warmupSec: 0, runs: 9, pages: 10 };
    const opts = ['--threads', '4', '--duration', '2', '--warmup=0', '--runs', '9', '--pages', '10'];
    expect(run(['--quick', ...opts], 16)).toMatchObject(want);
    expect(run([...opts, '--quick'], 16)).toMatchObject(want);
    expect(run(['--runs', '4', '--quick'])).toMatchObject({ runs: 4, durationSec: DEFAULTS.quick.durationSec });
  });
});

describe('output paths', () => {
  it('resolves paths against cwd without creating files', () => {
    const o = run(['--csv', 'out.csv', '--json=out.json']);
    expect(o.csvPath).toBe(path.join(tmp, 'out.csv'));
    expect(o.jsonPath).toBe(path.join(tmp, 'out.json'));
    expect(fs.existsSync(o.csvPath)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'out.json'))).toBe(false);
  });

  it('refuses an existing file without --force, accepts it with --force, and never truncates it while parsing', () => {
    const f = path.join(tmp, 'existing.csv');
    fs.writeFileSync(f, 'keep');
    expectUsage(['--csv', f], '--csv', f, /already exists; .*--force/);
    expect(run(['--csv', f, '--force']).csvPath).toBe(f);
    expect(fs.readFileSync(f, 'utf8')).toBe('keep');
  });

  it('refuses a configuration whose shared memory would not fit, naming the size', () => {
    expectUsage(
      ['--threads', '256', '--pages', '1048576'],
      '--pages',
      '1048576',
      /needs \d+\.\d+ GiB .* at most 2\.00 GiB/,
    );
  });

  it('--watchdog defaults to several windows and takes a positive number', () => {
    expect(run(['--duration', '10', '--warmup', '2']).watchdogSec).toBe(60);
    expect(run(['--watchdog', '3']).watchdogSec).toBe(3);
    expectUsage(['--watchdog', '0'], '--watchdog', '0');
  });

  it('--target and --dir', () => {
    expect(run(['--target', 'kernel', '--dir', tmp])).toMatchObject({ target: 'kernel', dir: tmp });
    expectUsage(['--target', 'vm'], '--target', 'vm', /model/);
    expectUsage(['--dir', path.join(tmp, 'missing')], '--dir', path.join(tmp, 'missing'), /does not exist/);
  });

  it('--mode: threads or processes; processes only for the kernel target', () => {
    expect(run(['--target', 'kernel', '--mode', 'processes']).mode).toBe('processes');
    expect(run(['--target', 'kernel', '--mode=threads']).mode).toBe('threads');
    expect(run(['--mode', 'threads']).mode).toBe('threads');
    expectUsage(['--target', 'kernel', '--mode', 'process'], '--mode', 'process', /allowed: threads or processes/);
    expectUsage(['--mode', 'processes'], '--mode', 'processes', /needs --target kernel/);
  });

  it('rejects a missing parent dir, a directory, and a file used as a dir', () => {
    expectUsage(['--csv', '/nonexistent-dir/x.csv'], '--csv', '/nonexistent-dir/x.csv', /does not exist/);
    expectUsage(['--csv', tmp], '--csv', tmp, /directory/);
    expectUsage(['--json', tmp], '--json', tmp, /directory/);
    const file = path.join(tmp, 'plain');
    fs.writeFileSync(file, '');
    expectUsage(['--csv', path.join(file, 'x.csv')], '--csv', path.join(file, 'x.csv'), /not a directory/);
    expectUsage(['--csv='], '--csv', '');
  });

  it('rejects the same path for csv and json', () => {
    expectUsage(['--csv', 'same', '--json', 'same'], '--json', 'same');
  });

  it('checks the default csv only once results/ exists', () => {
    const cwd = fs.mkdtempSync(path.join(tmp, 'cwd-'));
    fs.writeFileSync(path.join(cwd, 'results'), 'a file, not a dir');
    expect(() => parseBenchArgs([], { cores: 2, now: NOW, cwd })).toThrow(UsageError);
  });

  it('checkWritable is callable directly', () => {
    expect(() => checkWritable('--csv', path.join(tmp, 'fresh.csv'))).not.toThrow();
    expect(() => checkWritable('--csv', tmp)).toThrow(/^--csv: cannot write/);
  });
});

describe('help', () => {
  it('--help and -h return help, even beside other mistakes', () => {
    expect(parseBenchArgs(['--help'], env()).kind).toBe('help');
    expect(parseBenchArgs(['-h'], env()).kind).toBe('help');
    expect(parseBenchArgs(['--bogus', '--runs', '0', '--help'], env()).kind).toBe('help');
  });

  it('mentions every option, the defaults and the allowed names', () => {
    const r = parseBenchArgs(['--help'], env(16));
    expect(r.kind).toBe('help');
    const text = r.kind === 'help' ? r.text : '';
    expect(text).toBe(helpText({ cores: 16 }));
    for (const flag of [
      '--threads',
      '--strategy',
      '--journal',
      '--workload',
      '--lock',
      '--profile',
      '--duration',
      '--warmup',
      '--runs',
      '--pages',
      '--time-scale',
      '--hz',
      '--observer-interval',
      '--csv',
      '--json',
      '--quick',
      '--help',
      '-h',
    ]) {
      expect(text).toContain(flag);
    }
    for (const name of [...STRATEGY_NAMES, ...JOURNAL_NAMES, ...WORKLOAD_NAMES, ...LOCK_KINDS, ...PROFILE_NAMES]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('1,2,4,8,16');
    expect(text).toContain('32768');
    expect(text).toContain('0.01');
  });
});
