/**
 * Shards merged back into their sweep: the round trip gives the sweep's rows
 * (speedup and efficiency recomputed across shards) and sidecar; shards that
 * do not fit together are one line and exit status 2.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { parseResultsCsv, parseRunsCsv } from '../../src/rows/read.js';
import { runRecord, sidecarPath } from '../../src/rows/runs.js';
import { resultsCsv, runsCsv } from '../../src/rows/write.js';
import { UsageError } from '../../src/harness/errors.js';
import { mergeShards, type ShardText } from '../../src/harness/merge.js';
import { shardOf } from '../../src/harness/shard.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { applySpeedups } from '../../src/rows/speedup.js';
import { repoRoot, runCli, tempDir } from '../helpers/cli.js';

const template: Row = { ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? 'x' : 0])) as Row), status: 'ok', error: '' };

/** A whole sweep: 2 strategies × threads 1, 2, 4, three runs each. */
function sweep(): { rows: Row[]; runs: number[][] } {
  const rows: Row[] = [];
  const runs: number[][] = [];
  for (const strategy of ['eager', 'lazytime']) {
    for (const threads of [1, 2, 4]) {
      const xs = [1, 2, 3].map((r) => (strategy === 'eager' ? 1e5 : 3e5) * Math.sqrt(threads) * (1 + r / 100));
      rows.push({ ...template, target: 'model', mount_options: '', strategy, threads, runs: 3, faults_per_sec_mean: xs.reduce((a, b) => a + b) / 3 });
      runs.push(xs);
    }
  }
  applySpeedups(rows);
  return { rows, runs };
}

const csvOf = (rows: readonly Row[]): string => resultsCsv(rows);
const runsOf = (rows: readonly Row[], runs: readonly number[][]): string => runsCsv(rows.flatMap((r, i) => runs[i]!.map((x, j) => runRecord(r, j + 1, x))));

/** Shard k of n, as a shard's bench would write it: its rows, speedups from its own 1-thread rows only. */
function shardText(k: number, n: number): ShardText {
  const all = sweep();
  const idx = shardOf(all.rows.map((_, i) => i), { index: k, count: n });
  const rows = applySpeedups(idx.map((i) => ({ ...all.rows[i]! })));
  return { label: `s${k}.csv`, csv: csvOf(rows), runs: runsOf(rows, idx.map((i) => all.runs[i]!)) };
}

describe('mergeShards', () => {
  it('gives back the sweep, speedups included, from shards that split its series', () => {
    const whole = sweep();
    const merged = mergeShards([shardText(1, 2), shardText(2, 2)]);
    expect(merged.rows).toBe(6);
    const got = parseResultsCsv(merged.csv, 'merged');
    const want = parseResultsCsv(csvOf(whole.rows), 'whole');
    expect(got).toEqual(want);
    // Shard 2 alone had no 1-thread row for some series: its speedups were empty until merged.
    expect(parseResultsCsv(shardText(2, 2).csv, 's2').some((r) => Number.isNaN(r.speedup))).toBe(true);
    expect(parseRunsCsv(merged.runs!, 'merged runs')).toEqual(parseRunsCsv(runsOf(whole.rows, whole.runs), 'whole runs'));
  });

  it('refuses overlapping shards and shards of different sweeps, in one line', () => {
    const a = shardText(1, 2);
    expect(() => mergeShards([a, { ...a, label: 'again.csv' }])).toThrow(/is in both 's1\.csv' and 'again\.csv': shards must not overlap/);
    const other = shardText(2, 2);
    const rows = parseResultsCsv(other.csv, 'o').map((r) => ({ ...r, duration_sec: 3 }));
    const changed = { ...other, csv: resultsCsv(rows) };
    let err: unknown;
    try {
      mergeShards([a, changed]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/differ in duration_sec \('0' and '3'\): not shards of one sweep/);
    expect(() => mergeShards([a])).toThrow(/at least two/);
  });
});

describe('npm run merge (dist/src/commands/merge.js)', { timeout: 30_000 }, () => {
  const dir = tempDir('merge');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(repoRoot, 'dist', 'src', 'commands', 'merge.js');
  const write = (s: ShardText): string => {
    const p = path.join(dir, s.label);
    fs.writeFileSync(p, s.csv);
    if (s.runs) fs.writeFileSync(sidecarPath(p), s.runs);
    return p;
  };

  it('writes the merged CSV and sidecar; refuses an overlap with exit 2 and one line', async () => {
    const a = write(shardText(1, 2));
    const b = write(shardText(2, 2));
    const out = path.join(dir, 'all.csv');
    const ok = await runCli([a, b, '--out', out], dir, 30_000, { script });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/6 rows from 2 shards written to/);
    expect(parseResultsCsv(fs.readFileSync(out, 'utf8'), 'all')).toEqual(parseResultsCsv(csvOf(sweep().rows), 'whole'));
    expect(fs.existsSync(sidecarPath(out))).toBe(true);

    const again = await runCli([a, a, '--out', path.join(dir, 'bad.csv')], dir, 30_000, { script });
    expect(again.status).toBe(2);
    expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/^faultscale: merge: .* shards must not overlap/);
    expect(fs.existsSync(path.join(dir, 'bad.csv'))).toBe(false);

    const exists = await runCli([a, b, '--out', out], dir, 30_000, { script });
    expect(exists.status).toBe(2);
    expect(exists.stderr).toMatch(/already exists/);
  });
});
