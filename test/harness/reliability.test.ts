/**
 * Failures, hangs, interruption and oversubscription: a sweep must end with
 * a message naming the configuration, keep every row measured before, never
 * hang, and leave no half-written file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig } from '../../src/model/config.js';
import { modelTarget } from '../../src/targets/model/index.js';
import { parseCsv } from '../../src/rows/codec.js';
import { COLUMNS } from '../../src/rows/rows.js';
import { LOCK_KINDS } from '../../src/model/locks/kinds.js';
import { describeResult, runCli, tempDir } from '../helpers/cli.js';
import { testInput } from '../helpers/model-input.js';

const root = tempDir('reliability');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

// Sequential order: these tests name the configurations measured before a failure or a signal.
const TINY = [
  '--threads',
  '1',
  '--duration',
  '0.1',
  '--warmup',
  '0.02',
  '--runs',
  '1',
  '--pages',
  '256',
  '--profile',
  'zero',
  '--order',
  'sequential',
];
const rowsOf = (file: string): string[][] => parseCsv(fs.readFileSync(file, 'utf8')).slice(1);
const STRATEGY = COLUMNS.findIndex((c) => c[0] === 'strategy');
const STATUS = COLUMNS.findIndex((c) => c[0] === 'status');
const col = (name: string): number => COLUMNS.findIndex((c) => c[0] === name);
/** Every column measured from runs is empty; the configuration's settings are not. */
function expectUnmeasured(row: readonly string[]): void {
  for (const name of [
    'faults_per_sec_mean',
    'faults_per_sec_median',
    'stores_per_sec',
    'txns_per_fault',
    'cv',
    'speedup',
    'outlier_runs',
  ]) {
    expect(row[col(name)], name).toBe('');
  }
  expect(row[col('threads')]).toBe('1');
  expect(row[col('pages')]).toBe('256');
}
const inject = (spec: object): Record<string, string> => ({ FAULTSCALE_INJECT: JSON.stringify(spec) });
/** A TINY sweep with `args`, in a fresh directory named after `name`, with the failure `spec` injected. */
async function injectedSweep(name: string, args: readonly string[], spec: object) {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  const r = await runCli([...TINY, ...args], dir, 60_000, { env: inject(spec) });
  return { dir, r, info: describeResult(r) };
}

describe('a worker that fails mid-run', () => {
  it('throws: the run ends naming the configuration and the error; --keep-going measures the rest', async () => {
    const { dir, r, info } = await injectedSweep(
      'throw',
      ['--strategy', 'none,eager,deferred', '--csv', 'r.csv', '--keep-going'],
      { kind: 'throw', role: 'writer', after: 100, strategy: 'eager' },
    );
    expect(r.status, info).toBe(1);
    expect(r.stderr, info).toMatch(
      /run failed: workload=separate-file journal=jbd2 lock=rw strategy=eager threads=1 run 1: worker failed: injected fault: writer threw/,
    );
    expect(r.stderr, info).not.toMatch(/^\s+at /m);
    // none before it and deferred after it were both measured; eager is a failed row that says why.
    const rows = rowsOf(path.join(dir, 'r.csv'));
    expect(rows.map((row) => [row[STRATEGY], row[STATUS]])).toEqual([
      ['none', 'ok'],
      ['eager', 'failed'],
      ['deferred', 'ok'],
    ]);
    expect(rows[1]![col('error')]).toMatch(/^run 1 of 1 failed: worker failed: injected fault: writer threw/);
    expect(rows[0]![col('error')]).toBe('');
    expectUnmeasured(rows[1]!);
    // The sidecar has the measured rows' runs only.
    const [runsHeader, ...runs] = parseCsv(fs.readFileSync(path.join(dir, 'r.runs.csv'), 'utf8'));
    const strategyAt = runsHeader!.indexOf('strategy');
    expect(runs.map((row) => row[strategyAt])).toEqual(['none', 'deferred']);
  }, 60_000);

  it('exits its thread: the sweep stops there and keeps the rows before it', async () => {
    const { dir, r, info } = await injectedSweep(
      'exit',
      ['--strategy', 'none,eager,deferred', '--csv', 'r.csv', '--json', 'r.json'],
      { kind: 'exit', role: 'committer', after: 0, strategy: 'eager' },
    );
    expect(r.status, info).toBe(1);
    expect(r.stderr, info).toMatch(/strategy=eager threads=1 run 1: worker failed/);
    expect(rowsOf(path.join(dir, 'r.csv')).map((row) => [row[STRATEGY], row[STATUS]])).toEqual([
      ['none', 'ok'],
      ['eager', 'failed'],
    ]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect(json.rows.map((r: { status: string }) => r.status)).toEqual(['ok', 'failed']);
    expect(json.errors).toHaveLength(1);
    // Nothing half-written is left behind.
    expect(fs.readdirSync(dir).sort()).toEqual(['r.csv', 'r.json', 'r.runs.csv']);
  }, 60_000);
});

describe('the watchdog', () => {
  it('aborts a hung run and prints the lock, journal and thread state', async () => {
    const { r, info } = await injectedSweep(
      'hang',
      ['--strategy', 'eager-iversion', '--csv', 'r.csv', '--watchdog', '1'],
      { kind: 'hang', role: 'writer', after: 100 },
    );
    expect(r.status, info).toBe(1);
    expect(r.stderr, info).toMatch(
      /no writer stored anything for 1\.0 s|did not wind down: no store and no exit for 1\.0 s/,
    );
    expect(r.stderr, info).toMatch(/journal hot lock \(rw\): (free|taken)/);
    expect(r.stderr, info).toMatch(/journal \(jbd2\): transaction \d+/);
    expect(r.stderr, info).toMatch(/cpu 0 writer: running/);
  }, 60_000);
});

describe('interruption', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} stops the sweep at once, writes the rows so far and exits ${status}`, async () => {
      const dir = fs.mkdtempSync(path.join(root, `${signal}-`));
      let sent = false;
      // The handshake: the third configuration's writer blocks for good after 100 stores (injected hang, with a
      // watchdog far beyond the test), so once its progress line is out the sweep is inside it and stays there:
      // exactly the two configurations before it can have finished, however slow the machine.
      const r = await runCli(
        [
          '--threads',
          '1',
          '--strategy',
          'none,eager,deferred,lazytime',
          '--duration',
          '0.3',
          '--warmup',
          '0',
          '--runs',
          '1',
          '--pages',
          '256',
          '--order',
          'sequential',
          '--csv',
          'r.csv',
          '--watchdog',
          '600',
        ],
        dir,
        60_000,
        {
          env: inject({ kind: 'hang', role: 'writer', after: 100, strategy: 'deferred' }),
          onStderr: (soFar, child) => {
            if (!sent && /\[3\/4\] .*strategy=deferred/.test(soFar)) {
              sent = true;
              child.kill(signal);
            }
          },
        },
      );
      const info = describeResult(r);
      expect(sent, info).toBe(true);
      expect(r.status, info).toBe(status);
      expect(r.stderr, info).toMatch(new RegExp(`interrupted by ${signal}`));
      // Every row measured before the signal is kept; nothing after it was measured.
      const [header, ...records] = parseCsv(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8'));
      expect(
        records.filter((row) => row[STATUS] === 'ok').map((row) => row[STRATEGY]),
        info,
      ).toEqual(['none', 'eager']);
      // The configuration the signal cut short, if it has a row, is an interrupted one; the one after it never ran.
      for (const row of records.slice(2)) expect([row[STRATEGY], row[STATUS]]).toEqual(['deferred', 'interrupted']);
      // No half-written file: whole records only, both sidecar runs, and no temporary file left beside them.
      for (const row of records) expect(row).toHaveLength(header!.length);
      expect(rowsOf(path.join(dir, 'r.runs.csv'))).toHaveLength(2);
      expect(fs.readdirSync(dir).sort()).toEqual(['r.csv', 'r.runs.csv']);
    }, 60_000);
  }

  it('a configuration cut short by a signal is an interrupted row with its measured cells empty', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'cut-'));
    let sent = false;
    // A 30 s window: the signal, sent as the first run starts, always lands inside it.
    const args = [
      '--threads',
      '1',
      '--duration',
      '30',
      '--warmup',
      '0',
      '--runs',
      '2',
      '--pages',
      '256',
      '--profile',
      'zero',
    ];
    const r = await runCli([...args, '--strategy', 'none,eager', '--csv', 'r.csv'], dir, 60_000, {
      onStderr: (soFar, child) => {
        if (!sent && /\[1\/4\]/.test(soFar)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    const info = describeResult(r);
    expect(r.status, info).toBe(130);
    const rows = rowsOf(path.join(dir, 'r.csv'));
    expect(rows.map((row) => [row[STRATEGY], row[STATUS]])).toEqual([['none', 'interrupted']]);
    expect(rows[0]![col('error')]).toBe('interrupted by SIGINT during run 1 of 2');
    expect(rows[0]![col('runs')]).toBe('0');
    expectUnmeasured(rows[0]!);
    expect(rowsOf(path.join(dir, 'r.runs.csv'))).toEqual([]);
  }, 60_000);

  it('refuses to overwrite results unless --force', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'force-'));
    fs.writeFileSync(path.join(dir, 'r.csv'), 'precious');
    const r = await runCli([...TINY, '--strategy', 'none', '--csv', 'r.csv'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^faultscale: --csv: '.*r\.csv' already exists; .*--force to overwrite it\n$/);
    expect(fs.readFileSync(path.join(dir, 'r.csv'), 'utf8')).toBe('precious');
    const forced = await runCli([...TINY, '--strategy', 'none', '--csv', 'r.csv', '--force'], dir, 60_000);
    expect(forced.status, describeResult(forced)).toBe(0);
    expect(rowsOf(path.join(dir, 'r.csv'))).toHaveLength(1);
  }, 60_000);
});

describe('64 writers on 2 cores', () => {
  const model = modelTarget();
  afterAll(() => model.close());

  for (const lock of LOCK_KINDS) {
    it(`${lock} hot lock: every writer makes progress and the invariants hold`, async () => {
      const cfg = buildConfig(
        testInput({ strategy: 'eager-iversion', lock, writers: 64, pages: 64, observerIntervalMs: 5 }),
      );
      const s = await model.run({ cfg, timing: { warmupSec: 0.02, durationSec: 0.2 }, watchdogSec: 30 });
      // Each writer checks the stop flag every 64 stores, so each stored at least once that often.
      const perWriter = s.final.perCpu.slice(0, 64).map((c) => c.stores);
      expect(Math.min(...perWriter)).toBeGreaterThanOrEqual(64);
      expect(s.final.total.txns).toBe(s.final.total.faults);
      expect(s.window.locks.hot.acq).toBeGreaterThan(0);
    }, 60_000);
  }
});
