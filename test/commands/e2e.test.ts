/**
 * End to end: real (tiny) sweeps through the built CLI, checking the CSV and
 * JSON they write.
 * About 10 s on 2 cores; the timeouts are only a safety net.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCsv } from '../../src/rows/codec.js';
import { COLUMNS } from '../../src/rows/rows.js';
import { argv, describeResult, requireBuild, runCli, tempDir, type CliResult } from '../helpers/cli.js';

const TIMEOUT_MS = 60_000;
const CHILD_TIMEOUT_MS = 50_000;

const root = tempDir('e2e');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const HEADER = COLUMNS.map((c) => c[0]);
const NUMERIC = COLUMNS.filter((c) => c[1] !== 'text').map((c) => c[0]);
/** A bare number as String(number) writes it: no units, no thousands separators, no NaN/Infinity. */
const NUMBER_RE = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

type CsvRow = Record<string, string>;

/** Parses a results CSV and checks its shape; returns the rows as objects keyed by column. */
function readCsv(file: string): CsvRow[] {
  const records = parseCsv(fs.readFileSync(file, 'utf8'));
  expect(records.length).toBeGreaterThan(0);
  const [header, ...body] = records;
  expect(header).toEqual(HEADER);
  return body.map((rec, i) => {
    expect(rec.length, `CSV row ${i + 1} has ${rec.length} fields, header has ${HEADER.length}`).toBe(HEADER.length);
    return Object.fromEntries(HEADER.map((name, j) => [name, rec[j]!]));
  });
}

/** Every numeric cell is empty or a plain finite number. */
function expectNumericCells(rows: readonly CsvRow[]): void {
  rows.forEach((row, i) => {
    for (const col of NUMERIC) {
      const cell = row[col]!;
      if (cell === '') continue;
      const where = `row ${i + 1} (${row.journal} ${row.strategy} threads=${row.threads}), column ${col}: ${JSON.stringify(cell)}`;
      expect(cell, where).toMatch(NUMBER_RE);
      expect(Number.isFinite(Number(cell)), where).toBe(true);
    }
  });
}

const num = (row: CsvRow, col: string): number => {
  const cell = row[col];
  expect(cell, `column ${col}`).toBeDefined();
  expect(cell, `column ${col} of ${row.journal} ${row.strategy} threads=${row.threads} is empty`).not.toBe('');
  return Number(cell);
};

const STACK_MARKERS: readonly RegExp[] = [/^\s+at /m, /node:internal/, /\b[A-Z]\w*Error: /];

function expectCleanExit(r: CliResult): void {
  const info = describeResult(r);
  expect(r.signal, info).toBeNull();
  expect(r.status, info).toBe(0);
  for (const re of STACK_MARKERS) expect(r.stderr, info).not.toMatch(re);
}

describe('a small sweep: 2 journals × 3 strategies × threads 1,2, 2 runs each', () => {
  const JOURNALS = ['jbd2', 'xfs-cil'];
  const STRATEGIES = ['none', 'eager-iversion', 'deferred'];
  const THREADS = [1, 2];
  const RUNS = 2;
  const dir = path.join(root, 'sweep');
  const csvFile = path.join(dir, 'r.csv');
  const jsonFile = path.join(dir, 'r.json');
  let result: CliResult;
  let rows: CsvRow[] = [];

  const rowOf = (journal: string, strategy: string, threads: number): CsvRow => {
    const found = rows.filter((r) => r.journal === journal && r.strategy === strategy && r.threads === String(threads));
    expect(found, `${journal} ${strategy} threads=${threads}`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    requireBuild();
    fs.mkdirSync(dir);
    result = await runCli(
      [
        '--threads',
        THREADS.join(','),
        '--strategy',
        STRATEGIES.join(','),
        '--journal',
        JOURNALS.join(','),
        '--duration',
        '0.15',
        '--warmup',
        '0.05',
        '--runs',
        String(RUNS),
        '--pages',
        '256',
        '--csv',
        csvFile,
        '--json',
        jsonFile,
      ],
      dir,
      CHILD_TIMEOUT_MS,
    );
    if (result.status === 0 && fs.existsSync(csvFile)) rows = readCsv(csvFile);
  }, TIMEOUT_MS);

  it('exits 0 and reports the rows it wrote', () => {
    expectCleanExit(result);
    const info = describeResult(result);
    expect(result.stderr, info).toMatch(/\b12 rows written to /);
    expect(result.stdout, info).toMatch(/faults\/s/); // the summary table
    // Only the files asked for: no default results/ dir beside them.
    expect(fs.readdirSync(dir).sort()).toEqual(['r.csv', 'r.json', 'r.runs.csv']);
  });

  it('CSV: the documented header and one row per (journal, strategy, threads)', () => {
    expect(rows).toHaveLength(JOURNALS.length * STRATEGIES.length * THREADS.length);
    for (const j of JOURNALS) for (const s of STRATEGIES) for (const t of THREADS) rowOf(j, s, t);
    for (const row of rows) {
      expect(row.target).toBe('model');
      expect(row.workload).toBe('separate-file');
      expect(row.lock).not.toBe('auto'); // resolved to the journal's kind
      expect(row.lock).not.toBe('');
      expect(row.profile).toMatch(/^default@/);
      expect(num(row, 'runs')).toBe(RUNS);
      expect(num(row, 'duration_sec')).toBe(0.15);
      expect(num(row, 'warmup_sec')).toBe(0.05);
      expect(num(row, 'pages')).toBe(256);
      expect(row.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/);
    }
  });

  it('CSV: every numeric cell is empty or a plain finite number', () => {
    expect(rows.length).toBeGreaterThan(0);
    expectNumericCells(rows);
  });

  it('CSV: throughput, speedup and intervals are consistent', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const where = `${row.journal} ${row.strategy} threads=${row.threads}`;
      const mean = num(row, 'faults_per_sec_mean');
      expect(mean, where).toBeGreaterThan(0);
      // Two runs: the interval exists and holds the mean.
      expect(num(row, 'faults_per_sec_ci95_low'), where).toBeLessThanOrEqual(mean);
      expect(num(row, 'faults_per_sec_ci95_high'), where).toBeGreaterThanOrEqual(mean);
      const threads = num(row, 'threads');
      expect(num(row, 'oversubscribed'), where).toBe(threads > num(row, 'cores') ? 1 : 0);
      expect(num(row, 'per_thread_faults_per_sec'), where).toBeCloseTo(mean / threads, 6);
      if (threads === 1) {
        expect(num(row, 'speedup'), where).toBe(1);
        expect(num(row, 'efficiency'), where).toBe(1);
      } else {
        const base = num(rowOf(row.journal!, row.strategy!, 1), 'faults_per_sec_mean');
        const speedup = num(row, 'speedup');
        expect(speedup, where).toBeGreaterThan(0);
        expect(Math.abs(speedup * base - mean) / mean, where).toBeLessThan(1e-9);
        expect(num(row, 'efficiency'), where).toBeCloseTo(speedup / threads, 9);
        expect(num(row, 'linear_faults_per_sec'), where).toBeCloseTo(base * threads, 3);
      }
    }
  });

  it('CSV: journal transactions per fault follow the strategy', () => {
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const where = `${row.journal} ${row.strategy} threads=${row.threads}`;
      const tpf = num(row, 'txns_per_fault');
      if (row.strategy === 'eager-iversion') {
        // One transaction per fault: every fault bumps i_version.
        expect(tpf, where).toBeGreaterThanOrEqual(0.9);
        expect(tpf, where).toBeLessThanOrEqual(1.1);
      } else if (row.strategy === 'none') {
        expect(tpf, where).toBe(0);
      } else if (row.strategy === 'deferred') {
        expect(tpf, where).toBeLessThan(0.1);
      }
    }
  });

  it('JSON: the same rows, and every run of every configuration', () => {
    expect(fs.existsSync(jsonFile)).toBe(true);
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as {
      errors: unknown;
      interrupted: unknown;
      rows: Record<string, unknown>[];
      runs: Record<string, { faults_per_sec: number }[]>;
    };
    expect(json.errors).toEqual([]);
    expect(json.interrupted).toBeNull();
    expect(Array.isArray(json.rows)).toBe(true);
    expect(json.rows).toHaveLength(rows.length);
    expect(json.rows).toHaveLength(JOURNALS.length * STRATEGIES.length * THREADS.length);
    json.rows.forEach((jr, i) => {
      const cr = rows[i]!;
      for (const col of [
        'journal',
        'strategy',
        'threads',
        'runs',
        'faults_per_sec_mean',
        'txns_per_fault',
        'speedup',
      ]) {
        expect(String(jr[col]), `JSON row ${i} ${col}`).toBe(cr[col]);
      }
    });

    const keys = Object.keys(json.runs);
    expect(keys).toHaveLength(rows.length);
    for (const row of rows) {
      // The key names the configuration; find it by its parts rather than its exact spelling.
      const key = keys.find((k) => {
        const parts = k.split('|');
        return parts.includes(row.journal!) && parts.includes(row.strategy!) && parts.includes(row.threads!);
      });
      const where = `${row.journal} ${row.strategy} threads=${row.threads}`;
      expect(key, `${where}: no entry in runs (keys: ${keys.join(', ')})`).toBeDefined();
      const samples = json.runs[key!]!;
      expect(samples, where).toHaveLength(RUNS);
      for (const s of samples) expect(s.faults_per_sec, where).toBeGreaterThan(0);
      const mean = samples.reduce((a, s) => a + s.faults_per_sec, 0) / samples.length;
      expect(Math.abs(mean - num(row, 'faults_per_sec_mean')) / mean, where).toBeLessThan(1e-9);
    }
  });
});

/** A new directory under this file's temp root, for one test's run. */
function freshDir(name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  return dir;
}

describe('shared-file, xfs-cil-percpu, mcs lock, 3 writer threads', () => {
  it(
    'completes with exit 0 (oversubscribed on 2 cores)',
    async () => {
      const dir = freshDir('shared');
      const csvFile = path.join(dir, 's.csv');
      const sweep =
        '--workload shared-file --journal xfs-cil-percpu --lock mcs --threads 3 --strategy eager-iversion,deferred';
      const window = '--duration 0.15 --warmup 0.05 --runs 1 --pages 256';
      const r = await runCli([...argv(sweep), ...argv(window), '--csv', csvFile], dir, CHILD_TIMEOUT_MS);
      expectCleanExit(r);
      const rows = readCsv(csvFile);
      expect(rows).toHaveLength(2);
      expectNumericCells(rows);
      for (const row of rows) {
        expect(row.workload).toBe('shared-file');
        expect(row.journal).toBe('xfs-cil-percpu');
        expect(row.lock).toBe('mcs');
        expect(num(row, 'threads')).toBe(3);
        expect(num(row, 'runs')).toBe(1);
        expect(num(row, 'faults_per_sec_mean')).toBeGreaterThan(0);
        expect(num(row, 'oversubscribed')).toBe(3 > num(row, 'cores') ? 1 : 0);
        // No 1-thread baseline in this sweep.
        expect(row.speedup).toBe('');
      }
      if (num(rows[0]!, 'cores') < 3) expect(r.stderr).toMatch(/oversubscribed/);
    },
    TIMEOUT_MS,
  );
});

describe('default output path', () => {
  it(
    'without --csv, writes results/faultscale-<timestamp>.csv under the current directory',
    async () => {
      const dir = freshDir('default');
      const line = '--threads 1 --strategy none --duration 0.05 --warmup 0 --runs 1 --pages 64';
      const r = await runCli(argv(line), dir, CHILD_TIMEOUT_MS);
      expectCleanExit(r);
      expect(fs.readdirSync(dir)).toEqual(['results']);
      const files = fs.readdirSync(path.join(dir, 'results')).sort();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/^faultscale-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv$/);
      expect(files[1]).toBe(files[0]!.replace(/\.csv$/, '.runs.csv'));
      const rows = readCsv(path.join(dir, 'results', files[0]!));
      expect(rows).toHaveLength(1);
      expectNumericCells(rows);
    },
    TIMEOUT_MS,
  );
});
