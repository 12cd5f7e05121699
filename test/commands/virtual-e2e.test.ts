/**
 * `npm run bench -- --target virtual` end to end: the rows carry the wait
 * shares (and the threads targets' rows leave them empty), and the same seed
 * gives the same rows while the next seed gives other ones, whether its runs
 * go two at once (--jobs 2, the cores here) or one by one.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { argv, describeResult, requireBuild, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { readCsvObjects } from '../helpers/rows.js';

const dir = tempDir('virtual-e2e');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ARGS = argv('--target virtual --threads 1,6 --strategy eager-iversion --journal xfs-cil --workload shared-file');
const SHORT = ['--duration', '0.0015', '--warmup', '0.0005', '--runs', '2', '--pages', '128'];
const WAITS = [
  'line_wait_share',
  'hot_lock_wait_share',
  'list_lock_wait_share',
  'buffer_lock_wait_share',
  'inode_lock_wait_share',
  'page_lock_wait_share',
  'ctx_lock_wait_share',
  'grant_lock_wait_share',
];

type CsvRow = Record<string, string>;
/** The measured cells (not the timestamps of the sweep itself). */
const figures = (r: CsvRow): string[] =>
  ['faults_per_sec_mean', 'faults_per_sec_stddev', ...WAITS, 'commits_per_sec'].map((c) => r[c]!);

describe('bench --target virtual', () => {
  const results: Record<string, CliResult> = {};
  const csv = (name: string): string => path.join(dir, `${name}.csv`);

  beforeAll(async () => {
    requireBuild();
    for (const [name, seed, jobs] of [
      ['a', '5', '2'],
      ['b', '5', '2'],
      ['c', '6', '2'],
      ['d', '5', '1'],
    ] as const) {
      results[name] = await runCli(
        [...ARGS, ...SHORT, '--seed', seed, '--jobs', jobs, '--csv', csv(name)],
        dir,
        120_000,
      );
    }
  }, 400_000);

  it('writes rows with the wait shares, and the time goes somewhere when CPUs share a file', () => {
    expect(results.a!.status, describeResult(results.a!)).toBe(0);
    const rows = readCsvObjects(csv('a'));
    expect(rows.map((r) => r.threads)).toEqual(['1', '6']);
    for (const r of rows) {
      expect(r.target).toBe('virtual');
      for (const c of WAITS) expect(Number.isFinite(Number(r[c])) && r[c] !== '', c).toBe(true);
    }
    const six = rows[1]!;
    const waited = WAITS.reduce((acc, c) => acc + Number(six[c]), 0);
    expect(waited).toBeGreaterThan(Number(rows[0]!.line_wait_share));
  });

  it('repeats for a seed, and varies with the next one', () => {
    expect(results.b!.status, describeResult(results.b!)).toBe(0);
    expect(results.c!.status, describeResult(results.c!)).toBe(0);
    const a = readCsvObjects(csv('a'));
    const b = readCsvObjects(csv('b'));
    const c = readCsvObjects(csv('c'));
    expect(b.map(figures)).toEqual(a.map(figures));
    // The shared file's journal serialises the six writers, so their fault count can repeat across seeds; where the time
    // went (the wait shares) still moves with the start skew.
    expect(c.map(figures)).not.toEqual(a.map(figures));
  });

  it('runs taken at once give the rows runs taken one by one do, in the same order', () => {
    expect(results.d!.status, describeResult(results.d!)).toBe(0);
    const a = readCsvObjects(csv('a'));
    const d = readCsvObjects(csv('d'));
    expect(d.map(figures)).toEqual(a.map(figures));
    // The per-run sidecar lists each row's runs in run order either way.
    const runs = (name: string): string => fs.readFileSync(csv(name).replace(/\.csv$/, '.runs.csv'), 'utf8');
    expect(runs('d')).toBe(runs('a'));
  });
});
