/**
 * What compare pairs and what it refuses: rows pair only when every key
 * column matches (another hardware preset, client or HZ is another
 * configuration), a change of machine or build is one line, the three formats
 * say the same thing, and bad input (a truncated file, one without rows,
 * another target, an unknown or broken baseline, a bad --format) is one line
 * with exit status 2 and nothing on stdout. Baselines round-trip through
 * results/baselines/ under the directory the command runs in.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareRows, targetMismatch } from '../../src/analysis/compare.js';
import { COMPARED_CONTEXT } from '../../src/analysis/context-diff.js';
import { closest } from '../../src/harness/args/suggest.js';
import {
  baselinePath,
  existingBaseline,
  listBaselines,
  parseBaselineName,
  saveBaseline,
} from '../../src/harness/baselines.js';
import { UsageError } from '../../src/harness/errors.js';
import { COMPARE_FORMATS } from '../../src/output/compare/index.js';
import { loadResultSet, parseResultsCsv, ResultsFileError, type ResultSet } from '../../src/rows/read.js';
import type { Row } from '../../src/rows/rows.js';
import { runRecord, sidecarPath } from '../../src/rows/runs.js';
import { resultsCsv, runsCsv } from '../../src/rows/write.js';
import { repoRoot, requireScript, tempDir } from '../helpers/cli.js';
import { makeRow, VIRTUAL_KEY } from '../helpers/rows.js';

const cliPath = path.join(repoRoot, 'dist', 'src', 'commands', 'compare.js');
const root = tempDir('compare-keys');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(() => requireScript(cliPath));

const row = (over: Partial<Row>): Row =>
  makeRow({
    ...VIRTUAL_KEY,
    mode: 'threads',
    hz: 250,
    client: 'nfsv4',
    threads: 4,
    runs: 3,
    faults_per_sec_mean: 1000,
    faults_per_sec_ci95_low: 990,
    faults_per_sec_ci95_high: 1010,
    host: 'a',
    cpu_model: 'CPU A',
    kernel_version: '6.1',
    node_version: 'v20',
    harness_version: '0.1.0+1111111',
    git_commit: '1111111111111111111111111111111111111111',
    git_dirty: 0,
    ...over,
  });

const set = (rows: Row[], label = 'x.csv'): ResultSet => ({ label, rows, runs: null });

describe('pairing by every key column', () => {
  it('keeps rows of another hardware preset, topology, HZ or client apart', () => {
    for (const other of [
      { hardware: 'this-host' },
      { topology: '2x10x2' },
      { hz: 1000 },
      { client: 'nfsv3' },
      { msync_every: 64 },
      { preset: 'ext4-2013' },
    ]) {
      const r = compareRows(set([row({})]), set([row(other)]));
      expect(r.compared, JSON.stringify(other)).toHaveLength(0);
      expect(r.onlyBase).toHaveLength(1);
      expect(r.onlyNew).toHaveLength(1);
    }
  });

  it('pairs rows that differ only in context and says in one line how the contexts differ', () => {
    const r = compareRows(
      set([row({})]),
      set([
        row({ cpu_model: 'CPU B', git_commit: '2'.repeat(40), harness_version: '0.1.0+2222222', started_at: 'later' }),
      ]),
    );
    expect(r.compared).toHaveLength(1);
    expect(r.context.differences.map((d) => d.column).sort()).toEqual(['cpu_model', 'git_commit', 'harness_version']);
    const text = COMPARE_FORMATS.text(r, set([]), set([]));
    const lines = text.split('\n').filter((l) => l.includes('context differs'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cpu_model 'CPU A' → 'CPU B'/);
    expect(lines[0]).toMatch(/git_commit 1111111 → 2222222/);
  });

  it('compares the machine and the build, not what differs between any two sweeps (a new context column must be placed)', () => {
    expect([...COMPARED_CONTEXT].sort()).toEqual(
      [
        'cores',
        'cpu_cores',
        'cpu_model',
        'cpu_threads',
        'git_commit',
        'git_dirty',
        'harness_version',
        'host',
        'kernel_version',
        'node_version',
      ].sort(),
    );
  });

  it('prints no context line when machine and build are the same', () => {
    const r = compareRows(
      set([row({})]),
      set([row({ started_at: 'later', load_avg_1m: 3, sweep_id: 'abc', shard: '2/2' })]),
    );
    expect(r.context.differences).toEqual([]);
    expect(COMPARE_FORMATS.text(r, set([]), set([]))).not.toMatch(/context/);
  });

  it('refuses files of different targets', () => {
    expect(
      targetMismatch(set([row({})], 'a.csv'), set([row({ target: 'model', hardware: '', topology: '' })], 'b.csv')),
    ).toMatch(/^compare: base 'a.csv' has target virtual and new 'b.csv' has target model/);
    expect(targetMismatch(set([row({})]), set([row({ threads: 8 })]))).toBeNull();
  });
});

describe('formats', () => {
  const r = compareRows(
    set([row({}), row({ threads: 8 })]),
    set([
      row({ faults_per_sec_mean: 800, faults_per_sec_ci95_low: 795, faults_per_sec_ci95_high: 805 }),
      row({ threads: 8 }),
    ]),
  );

  it('markdown: one table row per compared configuration, with the verdict', () => {
    const md = COMPARE_FORMATS.markdown(r, set([], 'base.csv'), set([], 'new.csv'));
    expect(md).toMatch(/^## faultscale compare: `base.csv` → `new.csv`/);
    const tableRows = md.split('\n').filter((l) => l.startsWith('| threads='));
    expect(tableRows).toHaveLength(2);
    expect(tableRows[0]).toMatch(/\| threads=4 \| 1\.0k \| 800 \| -20\.0% \|.*\*\*regression\*\* \|$/);
  });

  it('json: one document with every compared row, its key as an object, no NaN', () => {
    const j = JSON.parse(COMPARE_FORMATS.json(r, set([], 'base.csv'), set([], 'new.csv'))) as {
      compared: { key: Record<string, unknown>; change_pct: number; verdict: string }[];
      base: { file: string };
    };
    expect(j.base.file).toBe('base.csv');
    expect(j.compared).toHaveLength(2);
    expect(j.compared[0]!.key.hardware).toBe('westmere-ex-8s');
    expect(j.compared[0]!.key.preset).toBeNull();
    expect(j.compared[0]!.change_pct).toBeCloseTo(-20, 6);
    expect(j.compared[0]!.verdict).toBe('regression');
  });
});

describe('truncated files', () => {
  const text = resultsCsv([row({}), row({ threads: 8 })]);

  it('refuses a CSV whose last line stops part-way', () => {
    // text.length - 1 keeps the CR of the last CRLF: the record is whole.
    for (const cut of [text.length - 3, text.length - 20, Math.floor(text.length / 2), 300]) {
      expect(() => parseResultsCsv(text.slice(0, cut), 'f'), String(cut)).toThrow(ResultsFileError);
    }
  });

  it('refuses a CSV cut at a line end when its sidecar has runs of the lost rows', () => {
    const file = path.join(root, 'cut.csv');
    fs.writeFileSync(file, resultsCsv([row({})]));
    fs.writeFileSync(
      sidecarPath(file),
      runsCsv([row({}), row({ threads: 8 })].flatMap((r) => [1, 2].map((i) => runRecord(r, i, 1000)))),
    );
    expect(() => loadResultSet(file, 'new')).toThrow(/truncated: its sidecar has runs of 1 configuration/);
  });
});

describe('baselines', () => {
  it('takes plain names only', () => {
    expect(parseBaselineName('--baseline', 'main-2026.12')).toBe('main-2026.12');
    for (const bad of ['', '../x', 'a/b', '.hidden', 'x.csv', 'a b'])
      expect(() => parseBaselineName('--baseline', bad), bad).toThrow(UsageError);
  });

  it('saves a CSV and its sidecar under results/baselines and finds them again; an unknown one lists the saved', () => {
    const dir = fs.mkdtempSync(path.join(root, 'cwd-'));
    const csv = path.join(dir, 'run.csv');
    fs.writeFileSync(csv, resultsCsv([row({})]));
    fs.writeFileSync(sidecarPath(csv), runsCsv([1, 2].map((i) => runRecord(row({}), i, 1000))));
    saveBaseline(baselinePath(dir, 'main'), csv);
    expect(listBaselines(dir)).toEqual(['main']);
    expect(existingBaseline('--baseline', dir, 'main')).toBe(path.join(dir, 'results', 'baselines', 'main.csv'));
    expect(fs.readFileSync(path.join(dir, 'results', 'baselines', 'main.runs.csv'), 'utf8')).toBe(
      fs.readFileSync(sidecarPath(csv), 'utf8'),
    );
    expect(() => existingBaseline('--baseline', dir, 'mian')).toThrow(
      /^--baseline: no baseline 'mian' in .*; saved: main$/,
    );
  });
});

describe('did you mean', () => {
  it('suggests the nearest option, and none when nothing is near or two are as near', () => {
    const opts = ['--format', '--fail-above', '--threads', '--strategy', '--alpha'];
    expect(closest('--formt', opts)).toBe('--format');
    expect(closest('--thread', opts)).toBe('--threads');
    expect(closest('--stratgey', opts)).toBe('--strategy');
    expect(closest('--bogus', opts)).toBeNull();
  });
});

describe('the compare command on bad input', () => {
  const cli = (args: readonly string[], cwd = root) => {
    const env = { ...process.env };
    delete env.FAULTSCALE_DEBUG;
    delete env.INIT_CWD;
    return spawnSync(process.execPath, [cliPath, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  };
  const good = path.join(root, 'good.csv');
  const model = path.join(root, 'model.csv');
  const headerOnly = path.join(root, 'header.csv');
  const cut = path.join(root, 'cut-mid.csv');
  beforeAll(() => {
    const text = resultsCsv([row({}), row({ threads: 8 })]);
    fs.writeFileSync(good, text);
    fs.writeFileSync(model, resultsCsv([row({ target: 'model', hardware: '', topology: '' })]));
    fs.writeFileSync(headerOnly, resultsCsv([]));
    fs.writeFileSync(cut, text.slice(0, 700));
    fs.mkdirSync(path.join(root, 'results', 'baselines'), { recursive: true });
    fs.writeFileSync(path.join(root, 'results', 'baselines', 'broken.csv'), 'not,a,results\nfile,at,all\n');
  });

  it.each([
    ['an unknown baseline', () => ['--baseline', 'nosuch', good], /^faultscale: --baseline: no baseline 'nosuch' in /],
    [
      'a corrupt baseline',
      () => ['--baseline', 'broken', good],
      /^faultscale: baseline 'broken', base file .*not a faultscale results CSV/,
    ],
    [
      'a bad --format',
      () => [good, good, '--format', 'html'],
      /^faultscale: --format: unknown value 'html'; allowed: text, markdown, or json$/,
    ],
    ['a truncated CSV', () => [good, cut], /^faultscale: new file .*cut-mid.csv': truncated/],
    [
      'a CSV without rows',
      () => [good, headerOnly],
      /^faultscale: new file .*header.csv': has a header but no result rows$/,
    ],
    [
      'different targets',
      () => [good, model],
      /^faultscale: compare: base '.*good.csv' has target virtual and new '.*model.csv' has target model/,
    ],
  ])('%s: one line, exit 2, nothing on stdout', (_name, args, message) => {
    const r = cli(args());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
  });

  it('compares against a saved baseline, relative paths from its working directory', () => {
    saveBaseline(baselinePath(root, 'saved'), good);
    const r = cli(['--baseline', 'saved', 'good.csv', '--format', 'markdown']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^## faultscale compare: `baseline saved` → `good.csv`/);
    expect(r.stdout).toMatch(/2 rows compared/);
  });
});
