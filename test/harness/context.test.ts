/**
 * Context in every result: the columns a sweep's rows carry (host, CPU,
 * kernel, build, command line, load, start time), the JSON block made from
 * them, the build's name, and the key set derived from the column table.
 */
import { describe, expect, it } from 'vitest';

import { collectContext, commandLine, contextJson, shellQuote } from '../../src/harness/context.js';
import { SHARD_COLUMNS } from '../../src/harness/shard-set.js';
import { harnessVersion } from '../../src/harness/version.js';
import { invocationCwd } from '../../src/harness/args/paths.js';
import { parseResultsCsv } from '../../src/rows/read.js';
import { COLUMNS, CONTEXT_COLUMNS, KEY_COLUMNS, roleOf } from '../../src/rows/rows.js';
import { csvLine } from '../../src/rows/codec.js';

const BUILD = { packageVersion: '1.2.3', commit: '0123456789abcdef0123456789abcdef01234567', dirty: true } as const;

describe('the build a row names', () => {
  it('is the package version with the short commit, marked dirty, or the version alone outside a checkout', () => {
    expect(harnessVersion(BUILD)).toBe('1.2.3+0123456.dirty');
    expect(harnessVersion({ ...BUILD, dirty: false })).toBe('1.2.3+0123456');
    expect(harnessVersion({ packageVersion: '1.2.3', commit: null, dirty: null })).toBe('1.2.3');
  });
});

describe('the sweep context', () => {
  const ctx = collectContext({
    build: BUILD,
    argv: ['--threads', '1,4', '--csv', "my results's.csv"],
    cores: 3,
    now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
  });

  it('names the machine, the build, the command and the start', () => {
    expect(ctx.host).not.toBe('');
    expect(ctx.cpu_threads).toBeGreaterThanOrEqual(ctx.cpu_cores);
    expect(ctx.cpu_cores).toBeGreaterThanOrEqual(1);
    expect(ctx.cores).toBe(3);
    expect(ctx.kernel_version).not.toBe('');
    expect(ctx.node_version).toBe(process.version);
    expect(ctx.harness_version).toBe('1.2.3+0123456.dirty');
    expect(ctx.git_commit).toBe(BUILD.commit);
    expect(ctx.git_dirty).toBe(1);
    expect(ctx.command_line).toBe(`faultscale bench --threads 1,4 --csv 'my results'\\''s.csv'`);
    expect(ctx.load_avg_1m).toBeGreaterThanOrEqual(0);
    expect(ctx.started_at).toBe('2026-01-02T03:04:05.000Z');
  });

  it("fills exactly the context columns the table lists, bar the row's own time and the sweep's identity (from its plan)", () => {
    const own = new Set<string>(['timestamp', 'seed', ...SHARD_COLUMNS]);
    expect(Object.keys(ctx).sort()).toEqual(CONTEXT_COLUMNS.filter((c) => !own.has(c)).sort());
  });

  it('becomes a JSON block with the same names: a boolean dirty flag, null where nothing is known', () => {
    const j = contextJson({ ...ctx, git_commit: '', git_dirty: NaN }, { hardware: 'westmere-ex-8s', seed: 7 });
    expect(j.git_commit).toBeNull();
    expect(j.git_dirty).toBeNull();
    expect(contextJson(ctx).git_dirty).toBe(true);
    expect(j.hardware).toBe('westmere-ex-8s');
    expect(j.seed).toBe(7);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('shell quoting of the command line', () => {
  it('leaves plain words alone and quotes the rest so a shell reads them back', () => {
    expect(shellQuote('--strategy=none,eager')).toBe('--strategy=none,eager');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(commandLine('bench', [])).toBe('faultscale bench');
  });
});

describe('the column table', () => {
  it('derives the key set from the roles: every identifying column, none of the measured figures', () => {
    for (const k of [
      'target',
      'mode',
      'workload',
      'journal',
      'lock',
      'strategy',
      'preset',
      'profile',
      'client',
      'time_gran_ns',
      'msync_every',
      'hardware',
      'topology',
      'hz',
      'threads',
    ]) {
      expect(KEY_COLUMNS, k).toContain(k);
    }
    for (const c of COLUMNS) if (roleOf(c) === 'key') expect(c[0]).not.toMatch(/per_sec|share|staleness|runs$/);
    expect(KEY_COLUMNS.some((k) => (CONTEXT_COLUMNS as readonly string[]).includes(k))).toBe(false);
  });

  it('still reads a results file written before the newer key and context columns, with those cells empty', () => {
    const header = [
      'target',
      'workload',
      'journal',
      'mount_options',
      'lock',
      'strategy',
      'profile',
      'threads',
      'runs',
      'faults_per_sec_mean',
      'faults_per_sec_ci95_low',
      'faults_per_sec_ci95_high',
    ];
    const rows = parseResultsCsv(
      csvLine(header) + csvLine(['model', 'rewrite', 'jbd2', '', 'rw', 'eager', 'default@1', 2, 3, 100, 90, 110]),
      'old',
    );
    expect(rows[0]!.hardware).toBe('');
    expect(rows[0]!.hz).toBeNaN();
    expect(rows[0]!.faults_per_sec_mean).toBe(100);
  });
});

describe('the directory relative paths are taken from', () => {
  it('is INIT_CWD when npm started the script in the package root, the working directory otherwise', () => {
    expect(invocationCwd('/pkg', { INIT_CWD: '/home/me/runs' }, '/pkg')).toBe('/home/me/runs');
    // A caller that chose another working directory (a test, a script) keeps it, whatever npm left in the environment.
    expect(invocationCwd('/pkg', { INIT_CWD: '/home/me/runs' }, '/tmp/work')).toBe('/tmp/work');
    expect(invocationCwd('/pkg', {}, '/pkg')).toBe('/pkg');
    expect(invocationCwd('/pkg', { INIT_CWD: 'relative' }, '/pkg')).toBe('/pkg');
    expect(invocationCwd(null, { INIT_CWD: '/home/me' }, '/x')).toBe('/x');
  });
});
