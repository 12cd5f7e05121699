/**
 * Shards merged back into their sweep: the whole set of one sweep's shards,
 * in any order, gives the sweep's rows in its own order (speedup and
 * efficiency recomputed across shards) and sidecar; a set that is not one
 * whole sweep (a shard missing, twice, of another sweep or split, truncated,
 * interrupted; settings that differ) is one line and exit status 2.
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

const template: Row = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? 'x' : 0])) as Row),
  status: 'ok',
  error: '',
};

/** A whole sweep: 3 strategies × threads 1, 2, 4, three runs each, as run whole (shard 1/1). */
function sweep(target = 'model'): { rows: Row[]; runs: number[][] } {
  const rows: Row[] = [];
  const runs: number[][] = [];
  for (const strategy of ['eager', 'lazytime', 'none']) {
    for (const threads of [1, 2, 4]) {
      const xs = [1, 2, 3].map((r) => (strategy === 'eager' ? 1e5 : 3e5) * Math.sqrt(threads) * (1 + r / 100));
      rows.push({
        ...template,
        target,
        mount_options: '',
        strategy,
        threads,
        runs: 3,
        faults_per_sec_mean: xs.reduce((a, b) => a + b) / 3,
        sweep_id: 'abc123def456',
        shard: '1/1',
        sweep_configurations: 9,
      });
      runs.push(xs);
    }
  }
  applySpeedups(rows);
  return { rows, runs };
}

const csvOf = (rows: readonly Row[]): string => resultsCsv(rows);
const runsOf = (rows: readonly Row[], runs: readonly number[][]): string =>
  runsCsv(rows.flatMap((r, i) => runs[i]!.map((x, j) => runRecord(r, j + 1, x))));
/** Rows without the column that says which shard ran them (the one that differs from the sweep run whole). */
const unsharded = (rows: readonly Row[]): Omit<Row, 'shard'>[] => rows.map(({ shard: _, ...rest }) => rest);

/** Shard k of n, as a shard's bench would write it: its rows, speedups from its own 1-thread rows only; `edit` changes its rows. */
function shardText(k: number, n: number, edit: (r: Row) => Row = (r) => r, target = 'model'): ShardText {
  const all = sweep(target);
  const idx = shardOf(
    all.rows.map((_, i) => i),
    { index: k, count: n },
  );
  const rows = applySpeedups(idx.map((i) => edit({ ...all.rows[i]!, shard: `${k}/${n}` })));
  return {
    label: `s${k}.csv`,
    csv: csvOf(rows),
    runs: runsOf(
      rows,
      idx.map((i) => all.runs[i]!),
    ),
  };
}

/** The one-line refusal mergeShards gives `shards`. */
function refusal(shards: ShardText[]): string {
  let err: unknown;
  try {
    mergeShards(shards);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  const message = (err as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('mergeShards', () => {
  it('gives back the sweep in its own order, speedups included, from shards given in any order', () => {
    const whole = sweep();
    for (const n of [2, 3, 4]) {
      const shards = Array.from({ length: n }, (_, k) => shardText(k + 1, n)).reverse();
      const merged = mergeShards(shards);
      expect(merged.rows).toBe(9);
      const got = parseResultsCsv(merged.csv, 'merged');
      expect(unsharded(got)).toEqual(unsharded(parseResultsCsv(csvOf(whole.rows), 'whole')));
      // Each row still says which shard ran it.
      expect(got.map((r) => r.shard)).toEqual(whole.rows.map((_, i) => `${(i % n) + 1}/${n}`));
      expect(parseRunsCsv(merged.runs!, 'merged runs')).toEqual(
        parseRunsCsv(runsOf(whole.rows, whole.runs), 'whole runs'),
      );
    }
    // Shard 2 alone had no 1-thread row for some series: its speedups were empty until merged.
    expect(parseResultsCsv(shardText(2, 2).csv, 's2').some((r) => Number.isNaN(r.speedup))).toBe(true);
    // A sweep run whole is a complete set of one.
    expect(mergeShards([shardText(1, 1)]).rows).toBe(9);
  });

  it('refuses an incomplete set, naming what is missing', () => {
    expect(refusal([shardText(1, 3), shardText(3, 3)])).toBe(
      'merge: incomplete: sweep abc123def456 is missing shard 2/3 (have 2 of 3)',
    );
    expect(refusal([shardText(2, 4)])).toBe(
      'merge: incomplete: sweep abc123def456 is missing shards 1/4, 3/4, 4/4 (have 1 of 4)',
    );
    expect(() => mergeShards([])).toThrow(/got none/);
  });

  it('refuses a duplicate shard and overlapping shards', () => {
    const a = shardText(1, 2);
    expect(refusal([a, { ...a, label: 'again.csv' }, shardText(2, 2)])).toBe(
      "merge: shard 1/2 of sweep abc123def456 is in both 's1.csv' and 'again.csv': give each shard once",
    );
  });

  it('refuses a mixed set: another sweep, or the same sweep split another way', () => {
    expect(refusal([shardText(1, 2), shardText(2, 2, (r) => ({ ...r, sweep_id: 'ffff00001111' }))])).toMatch(
      /^merge: 's1\.csv' is sweep abc123def456 but 's2\.csv' is sweep ffff00001111: shards of different sweeps .*--threads.*; merge one sweep at a time$/,
    );
    expect(refusal([shardText(1, 2), shardText(2, 3)])).toMatch(
      /'s1\.csv' is shard 1\/2 of 9 configurations but 's2\.csv' shard 2\/3 of 9: the shards of one sweep split it one way/,
    );
    const a = shardText(1, 2);
    expect(refusal([a, shardText(2, 2, (r) => ({ ...r, duration_sec: 3 }))])).toMatch(
      /differ in duration_sec \('0' and '3'\): not shards of one sweep/,
    );
  });

  it('refuses a truncated shard file: cut mid-line, cut at a line, or header only', () => {
    const a = shardText(1, 2);
    const b = shardText(2, 2);
    const lines = b.csv.split('\r\n');
    const midLine = { ...b, csv: b.csv.slice(0, b.csv.length - 20) };
    expect(refusal([a, midLine])).toBe("merge: 's2.csv' ends in the middle of a line: the file is truncated");
    const lostCell = { ...b, csv: b.csv.replace(/,ok,\r\n$/, ',ok') };
    expect(refusal([a, lostCell])).toBe("merge: 's2.csv' ends in the middle of a line: the file is truncated");
    const lastRowGone = { ...b, csv: lines.slice(0, -2).join('\r\n') + '\r\n' };
    expect(refusal([a, lastRowGone])).toBe(
      "merge: 's2.csv' (shard 2/2 of sweep abc123def456) has 3 of its 4 configurations (9 in the sweep): the file is truncated or its run stopped early; rerun that shard",
    );
    expect(refusal([a, { ...b, csv: lines[0]! + '\r\n' }])).toMatch(
      /'s2\.csv' has a header but no rows: .* truncated$/,
    );
  });

  it('refuses an interrupted shard and a file without the shard columns', () => {
    const stopped = shardText(2, 2, (r) =>
      r.threads === 4 ? { ...r, status: 'interrupted', runs: 1, error: 'SIGTERM' } : r,
    );
    expect(refusal([shardText(1, 2), stopped])).toMatch(
      /'s2\.csv' \(shard 2\/2 of sweep abc123def456\) was interrupted at workload=x journal=x strategy=lazytime preset=x threads=4: rerun that shard$/,
    );
    const old = shardText(1, 1);
    const header = old.csv.slice(0, old.csv.indexOf('\r\n'));
    const dropped = header
      .split(',')
      .map((c, i) => (c === 'sweep_id' ? i : -1))
      .filter((i) => i >= 0)[0]!;
    const csv = old.csv
      .split('\r\n')
      .map((l) =>
        l === ''
          ? l
          : l
              .split(',')
              .filter((_, i) => i !== dropped)
              .join(','),
      )
      .join('\r\n');
    expect(refusal([{ ...old, csv }])).toBe(
      "merge: 's1.csv' has no sweep_id column, so it cannot say which sweep and shard it is; rerun it with this faultscale",
    );
  });

  it('lets shards of a virtual sweep come from nodes with other cores, but not shards of a model sweep', () => {
    const cores =
      (n: number) =>
      (r: Row): Row => ({ ...r, cores: n });
    expect(mergeShards([shardText(1, 2, cores(2), 'virtual'), shardText(2, 2, cores(64), 'virtual')]).rows).toBe(9);
    expect(refusal([shardText(1, 2, cores(2)), shardText(2, 2, cores(64))])).toMatch(
      /differ in cores \('2' and '64'\)/,
    );
  });
});

describe('npm run merge (dist/src/commands/merge.js)', { timeout: 30_000 }, () => {
  const dir = tempDir('merge');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(repoRoot, 'dist', 'src', 'commands', 'merge.js');
  const write = (s: ShardText, into = dir): string => {
    const p = path.join(into, s.label);
    fs.writeFileSync(p, s.csv);
    if (s.runs) fs.writeFileSync(sidecarPath(p), s.runs);
    return p;
  };

  it('merges a directory of shards into the CSV and sidecar; refuses an incomplete set with exit 2, one line, nothing written', async () => {
    const shards = path.join(dir, 'shards');
    fs.mkdirSync(shards);
    const a = write(shardText(1, 2), shards);
    write(shardText(2, 2), shards);
    const out = path.join(dir, 'all.csv');
    const ok = await runCli([shards, '--out', out], dir, 30_000, { script });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/9 rows from 2 shards written to/);
    expect(unsharded(parseResultsCsv(fs.readFileSync(out, 'utf8'), 'all'))).toEqual(
      unsharded(parseResultsCsv(csvOf(sweep().rows), 'whole')),
    );
    expect(fs.existsSync(sidecarPath(out))).toBe(true);

    const bad = path.join(dir, 'bad.csv');
    const alone = await runCli([a, '--out', bad], dir, 30_000, { script });
    expect(alone.status).toBe(2);
    expect(alone.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(alone.stderr).toMatch(
      /^faultscale: merge: incomplete: sweep abc123def456 is missing shard 2\/2 \(have 1 of 2\)/,
    );
    expect(fs.existsSync(bad)).toBe(false);

    const again = await runCli([a, a, '--out', bad], dir, 30_000, { script });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^faultscale: merge: shard 1\/2 .* give each shard once\n$/);
    expect(fs.existsSync(bad)).toBe(false);

    const exists = await runCli([shards, '--out', out], dir, 30_000, { script });
    expect(exists.status).toBe(2);
    expect(exists.stderr).toMatch(/already exists/);
  });
});
