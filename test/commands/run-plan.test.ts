/**
 * How a sweep takes its runs, through the built CLI: interleaved rounds
 * (recorded in the JSON) or sequential order, --runs auto with its stopping
 * rule and ci_target_met, the progress lines when stderr is not a terminal,
 * and --shard K/N merged back with npm run merge.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCsv } from '../../src/rows/codec.js';
import { argv, describeResult, repoRoot, requireBuild, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { readCsvObjects } from '../helpers/rows.js';

const TIMEOUT_MS = 90_000;
const root = tempDir('run-plan');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A tiny sweep: 2 strategies × threads 1,2 = 4 configurations. */
const TINY = argv('--threads 1,2 --strategy none,eager --duration 0.05 --warmup 0 --pages 64 --profile zero');

type Rec = Record<string, string>;

interface Sweep {
  readonly result: CliResult;
  readonly rows: Rec[];
  readonly json: {
    run_order: { order: string; seed: number; sequence: { configuration: string; run: number }[] };
  } | null;
}

async function sweep(name: string, extra: readonly string[]): Promise<Sweep> {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  const csv = path.join(dir, 'r.csv');
  const json = path.join(dir, 'r.json');
  const result = await runCli([...TINY, ...extra, '--csv', csv, '--json', json], dir, TIMEOUT_MS - 10_000);
  expect(result.status, describeResult(result)).toBe(0);
  return {
    result,
    rows: readCsvObjects(csv),
    json: fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, 'utf8')) : null,
  };
}

const configOf = (r: Rec): string => `${r.strategy}/${r.threads}`;

describe('run order', { timeout: TIMEOUT_MS }, () => {
  let interleaved: Sweep;
  let sequential: Sweep;
  beforeAll(async () => {
    requireBuild();
    interleaved = await sweep('interleaved', ['--runs', '3', '--seed', '5']);
    sequential = await sweep('sequential', ['--runs', '3', '--order', 'sequential']);
  }, TIMEOUT_MS);

  it('interleaved: rounds of one run of every configuration, in the order the JSON records', () => {
    const { order, seed, sequence } = interleaved.json!.run_order;
    expect(order).toBe('interleaved');
    expect(seed).toBe(5);
    expect(sequence).toHaveLength(12);
    const configs = [...new Set(sequence.map((s) => s.configuration))];
    expect(configs).toHaveLength(4);
    for (let round = 0; round < 3; round++) {
      const slice = sequence.slice(round * 4, round * 4 + 4);
      expect(new Set(slice.map((s) => s.configuration)).size).toBe(4);
      expect(slice.every((s) => s.run === round + 1)).toBe(true);
    }
    // The rows still come in the sweep's order, each with its runs, speedups from the 1-thread rows.
    expect(interleaved.rows.map(configOf)).toEqual(['none/1', 'none/2', 'eager/1', 'eager/2']);
    expect(interleaved.rows.every((r) => r.runs === '3')).toBe(true);
    for (const r of interleaved.rows) {
      const one = interleaved.rows.find((o) => o.strategy === r.strategy && o.threads === '1')!;
      expect(Number(r.speedup)).toBeCloseTo(Number(r.faults_per_sec_mean) / Number(one.faults_per_sec_mean), 9);
    }
    const sidecar = parseCsv(fs.readFileSync(path.join(root, 'interleaved', 'r.runs.csv'), 'utf8'));
    expect(sidecar).toHaveLength(1 + 12);
  });

  it('sequential: every run of a configuration before the next', () => {
    const { order, sequence } = sequential.json!.run_order;
    expect(order).toBe('sequential');
    const firsts = sequence.map((s) => s.configuration).filter((c, i, all) => all.indexOf(c) === i);
    for (const [i, c] of firsts.entries())
      expect(sequence.slice(i * 3, i * 3 + 3).every((s) => s.configuration === c)).toBe(true);
  });

  it('without a terminal, one progress line per run naming the configuration, run, elapsed time and ETA', () => {
    const lines = interleaved.result.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] /.test(l));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatch(/^\[1\/12\] .*strategy=(none|eager) threads=[12] run 1\/3 {2}elapsed \d+s {2}ETA \?$/);
    expect(lines[11]).toMatch(/^\[12\/12\] .* run 3\/3 {2}elapsed \d+s {2}ETA \d+s$/);
    expect(interleaved.result.stderr).not.toContain('\r');
  });
});

describe('an interleaved sweep stopped by SIGINT', { timeout: TIMEOUT_MS }, () => {
  it('writes the finished configurations, and every part-way one as an interrupted row, then exits 130', async () => {
    const dir = path.join(root, 'sigint');
    fs.mkdirSync(dir);
    let sent = false;
    const r = await runCli([...TINY, '--duration', '1', '--runs', '2', '--csv', 'r.csv'], dir, TIMEOUT_MS - 10_000, {
      // The sixth run starts after round 1 (all four) and one run of round 2: one configuration is done.
      onStderr: (soFar, child) => {
        if (!sent && /\[6\/8\]/.test(soFar)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(r.status, describeResult(r)).toBe(130);
    const rows = readCsvObjects(path.join(dir, 'r.csv'));
    expect(rows.map(configOf).sort()).toEqual(['eager/1', 'eager/2', 'none/1', 'none/2']);
    const ok = rows.filter((row) => row.status === 'ok');
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const row of ok) expect(row.runs).toBe('2');
    for (const row of rows.filter((x) => x.status !== 'ok')) {
      expect(row.status).toBe('interrupted');
      expect(row.runs).toBe('1');
      expect(row.error).toMatch(/^interrupted by SIGINT (during run 2 of 2|after 1 of 2 runs)$/);
      expect(row.faults_per_sec_mean).toBe('');
    }
  });
});

describe('--runs auto', { timeout: TIMEOUT_MS }, () => {
  it('stops each configuration at its CI target or --max-runs, at least 3 runs, and says which', async () => {
    const s = await sweep('auto', ['--runs', 'auto', '--target-ci', '5', '--max-runs', '6']);
    expect(s.result.stderr).toMatch(/× 3-6 runs \(until the 95% CI is within ±5% of the mean\)/);
    for (const r of s.rows) {
      const runs = Number(r.runs);
      expect(runs).toBeGreaterThanOrEqual(3);
      expect(runs).toBeLessThanOrEqual(6);
      const met = Number(r.ci95_halfwidth_share) <= 0.05;
      expect(r.ci_target_met).toBe(met ? '1' : '0');
      // A configuration stops early only when it met the target.
      if (runs < 6) expect(r.ci_target_met).toBe('1');
    }
    const taken = s.rows.reduce((a, r) => a + Number(r.runs), 0);
    expect(s.json!.run_order.sequence).toHaveLength(taken);
  });
});

describe('--shard K/N and npm run merge', { timeout: TIMEOUT_MS }, () => {
  it('two shards are disjoint, cover the sweep, and merge into one CSV with speedups', async () => {
    const a = await sweep('shard1', ['--runs', '2', '--shard', '1/2']);
    const b = await sweep('shard2', ['--runs', '2', '--shard', '2/2']);
    expect(a.result.stderr).toMatch(/2 configurations \(shard 1\/2 of 4\)/);
    const keys = [...a.rows, ...b.rows].map(configOf).sort();
    expect(keys).toEqual(['eager/1', 'eager/2', 'none/1', 'none/2']);
    const out = path.join(root, 'merged.csv');
    const merged = await runCli(
      [path.join(root, 'shard1', 'r.csv'), path.join(root, 'shard2', 'r.csv'), '--out', out],
      root,
      30_000,
      {
        script: path.join(repoRoot, 'dist', 'src', 'commands', 'merge.js'),
      },
    );
    expect(merged.status, describeResult(merged)).toBe(0);
    const rows = readCsvObjects(out);
    expect(rows.map(configOf)).toEqual(['none/1', 'none/2', 'eager/1', 'eager/2']);
    for (const r of rows) {
      const one = rows.find((o) => o.strategy === r.strategy && o.threads === '1')!;
      expect(Number(r.speedup)).toBeCloseTo(Number(r.faults_per_sec_mean) / Number(one.faults_per_sec_mean), 9);
      expect(Number(r.efficiency)).toBeCloseTo(Number(r.speedup) / Number(r.threads), 9);
    }
    expect(parseCsv(fs.readFileSync(out.replace(/\.csv$/, '.runs.csv'), 'utf8'))).toHaveLength(1 + 8);
  });
});
