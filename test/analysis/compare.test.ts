/**
 * Comparing two results files: Welch's test against reference values, a
 * planted 20% regression flagged (and failing --fail-above 10), pure noise
 * passing, the CI-column fallback without sidecars, and bad input as one
 * line with exit status 2, run as `node dist/src/commands/compare.js`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareRows } from '../../src/analysis/compare.js';
import { parseResultsCsv, parseRunsCsv } from '../../src/rows/read.js';
import { keyText, runRecord, runsByKey, sidecarPath } from '../../src/rows/runs.js';
import { resultsCsv, runsCsv } from '../../src/rows/write.js';
import { welch } from '../../src/analysis/welch.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { summarize } from '../../src/analysis/stats.js';
import { repoRoot, requireScript, tempDir } from '../helpers/cli.js';

/** The first data row up to its `threads` cell, wherever that column sits in the schema. */
const THREADS_OF_FIRST_ROW = new RegExp(
  `\\r\\n(model,${'[^,]*,'.repeat(COLUMNS.findIndex((c) => c[0] === 'threads') - 1)})1,`,
);

const cliPath = path.join(repoRoot, 'dist', 'src', 'commands', 'compare.js');
const root = tempDir('compare');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeAll(() => requireScript(cliPath));

/** Seeded PRNG (mulberry32) and normal deviates from it. */
function gaussian(seed: number): () => number {
  let a = seed;
  const u = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

const STRATEGIES = ['eager', 'lazytime'] as const;
const THREADS = [1, 4, 16] as const;
const RUNS = 5;
const NOISE = 0.005; // 0.5% run-to-run
const template: Row = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? 'x' : 0])) as Row),
  status: 'ok',
  error: '',
};
const trueMean = (strategy: string, threads: number): number => (strategy === 'eager' ? 4e5 : 1e6) * Math.sqrt(threads);

interface Sweep {
  readonly rows: Row[];
  readonly runs: { row: Row; samples: number[] }[];
}

/** A sweep's rows and per-run samples; `factor(strategy, threads)` scales the true mean. */
function sweep(seed: number, factor: (s: string, t: number) => number = () => 1): Sweep {
  const g = gaussian(seed);
  const runs = STRATEGIES.flatMap((strategy) =>
    THREADS.map((threads) => {
      const m = trueMean(strategy, threads) * factor(strategy, threads);
      const samples = Array.from({ length: RUNS }, () => m * (1 + NOISE * g()));
      const s = summarize(samples);
      const row: Row = {
        ...template,
        target: 'model',
        workload: 'shared-file',
        journal: 'jbd2',
        lock: 'spin',
        strategy,
        profile: 'default@1',
        threads,
        runs: RUNS,
        faults_per_sec_mean: s.mean,
        faults_per_sec_stddev: s.stddev,
        faults_per_sec_ci95_low: s.ci95Low,
        faults_per_sec_ci95_high: s.ci95High,
      };
      return { row, samples };
    }),
  );
  return { rows: runs.map((r) => r.row), runs };
}

const resultsText = (rows: readonly Row[]): string => resultsCsv(rows);
const runsText = (s: Sweep): string =>
  runsCsv(s.runs.flatMap(({ row, samples }) => samples.map((x, i) => runRecord(row, i + 1, x))));

let n = 0;
/** Writes `s` as <dir>/<name>.csv, and its sidecar unless `sidecar` is false; returns the CSV path. */
function write(s: Sweep, name: string, sidecar = true): string {
  const dir = path.join(root, `case-${++n}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.csv`);
  fs.writeFileSync(file, resultsText(s.rows));
  if (sidecar) fs.writeFileSync(sidecarPath(file), runsText(s));
  return file;
}

function compareCli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.FAULTSCALE_DEBUG;
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const regressed = (s: string, t: number): number => (s === 'lazytime' && t === 4 ? 0.8 : 1);
const REGRESSED_KEY = /strategy=lazytime threads=4$/;

describe('welch', () => {
  it('matches reference values (scipy.stats.ttest_ind, equal_var=False)', () => {
    const r = welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(r.t).toBeCloseTo(1.8973665961010275, 10);
    expect(r.df).toBeCloseTo(5.882352941176471, 10);
    expect(r.p).toBeCloseTo(0.10753119493062728, 6);
    const s = welch([9.5, 9.7, 9.4, 9.9, 9.6], [10.1, 9.8, 10.3, 10.0, 9.9, 10.2]);
    expect(s.t).toBeCloseTo(3.7379529413083374, 8);
    expect(s.df).toBeCloseTo(8.544345657595139, 8);
    expect(s.p).toBeCloseTo(0.005087427733571225, 7);
  });

  it('is not defined with one sample, and certain with no spread', () => {
    expect(welch([1], [1, 2]).p).toBeNaN();
    expect(welch([3, 3], [3, 3]).p).toBe(1);
    expect(welch([3, 3], [4, 4]).p).toBe(0);
  });
});

describe('compareRows', () => {
  const setOf = (s: Sweep, label: string, sidecar = true) => ({
    label,
    rows: parseResultsCsv(resultsText(s.rows), label),
    runs: sidecar ? runsByKey(parseRunsCsv(runsText(s), `${label} runs`)) : null,
  });

  it('flags the planted regression and nothing else', () => {
    const report = compareRows(setOf(sweep(1), 'base'), setOf(sweep(2, regressed), 'new'), { alpha: 0.05 });
    expect(report.compared).toHaveLength(STRATEGIES.length * THREADS.length);
    for (const c of report.compared) {
      const text = keyText(c.row, report.keyColumns);
      if (REGRESSED_KEY.test(text)) {
        expect(c.verdict).toBe('regression');
        expect(c.changePct).toBeCloseTo(-20, 0);
        expect(c.p).toBeLessThan(0.001);
        expect(c.source).toBe('runs');
      } else {
        expect(c.verdict, text).toBe('no significant change');
      }
    }
  });

  it('falls back to the CI columns without sidecars, with the same verdicts', () => {
    const withRuns = compareRows(setOf(sweep(1), 'base'), setOf(sweep(2, regressed), 'new'));
    const withCi = compareRows(setOf(sweep(1), 'base', false), setOf(sweep(2, regressed), 'new', false));
    expect(withCi.compared.map((c) => c.source)).toEqual(withCi.compared.map(() => 'ci'));
    expect(withCi.compared.map((c) => c.verdict)).toEqual(withRuns.compared.map((c) => c.verdict));
    withCi.compared.forEach((c, i) => expect(c.p).toBeCloseTo(withRuns.compared[i]!.p, 8));
  });

  it('lists rows found in only one file', () => {
    const b = sweep(1);
    const next = sweep(2);
    const report = compareRows(
      setOf({ rows: b.rows.slice(1), runs: b.runs.slice(1) }, 'base'),
      setOf({ rows: next.rows.slice(0, -1), runs: next.runs.slice(0, -1) }, 'new'),
    );
    expect(report.compared).toHaveLength(b.rows.length - 2);
    expect(report.onlyBase.map((r) => r.threads)).toEqual([b.rows.at(-1)!.threads]);
    expect(report.onlyNew.map((r) => r.threads)).toEqual([next.rows[0]!.threads]);
  });
});

// Each case spawns node (well under a second); the limit only guards a loaded machine.
describe('npm run compare (dist/src/commands/compare.js)', { timeout: 30_000 }, () => {
  it('reports a planted 20% regression and fails --fail-above 10', () => {
    const base = write(sweep(1), 'base');
    const next = write(sweep(2, regressed), 'new');
    const plain = compareCli([base, next]);
    expect(plain.status, plain.stderr).toBe(0);
    const line = plain.stdout.split('\n').find((l) => REGRESSED_KEY.test(l)) ?? '';
    expect(line).toMatch(/-20\.\d%/);
    expect(line).toMatch(/\bregression\b/);
    expect(plain.stdout).toMatch(
      /6 rows compared: 1 regression, 0 improvements, 0 within noise, 5 no significant change/,
    );
    expect(plain.stdout).toContain('per-run samples from');

    const gated = compareCli([base, next, '--fail-above', '10']);
    expect(gated.status, gated.stdout + gated.stderr).toBe(1);
    expect(gated.stdout).toMatch(/1 significant regression \(welch\) beyond 10%/);
    // A threshold above the regression passes.
    expect(compareCli([base, next, '--fail-above=25']).status).toBe(0);
  });

  it('passes pure noise: no significant change, exit 0 with --fail-above 10', () => {
    const r = compareCli([write(sweep(3), 'base'), write(sweep(4), 'new'), '--fail-above', '10']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/6 rows compared: 0 regressions, 0 improvements, 0 within noise, 6 no significant change/);
    expect(r.stderr).toBe('');
  });

  it('says when it falls back to the CI columns', () => {
    const r = compareCli([
      write(sweep(1), 'base', false),
      write(sweep(2, regressed), 'new', false),
      '--fail-above',
      '10',
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/base\.runs\.csv not found: using the CI columns/);
    expect(r.stdout).toMatch(/new\.runs\.csv not found: using the CI columns/);
    expect(r.stdout.split('\n').find((l) => REGRESSED_KEY.test(l))).toMatch(/\bci\b.*\bregression\b/);
  });

  describe('bad input: one line, exit status 2, nothing on stdout', () => {
    const good = (): string => write(sweep(1), 'good');
    const file = (name: string, text: string): string => {
      const dir = path.join(root, `bad-${++n}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const cases: [string, () => string[], RegExp][] = [
      [
        'a missing file',
        () => [good(), path.join(root, 'nope.csv')],
        /new file '.*nope\.csv': cannot read: no such file/,
      ],
      ['a directory', () => [root, good()], /base file '.*': cannot read: is a directory/],
      [
        'a wrong header',
        () => [file('w.csv', 'a,b,c\r\n1,2,3\r\n'), good()],
        /not a faultscale results CSV: header lacks target, workload, journal/,
      ],
      ['an empty file', () => [good(), file('e.csv', '')], /empty file/],
      [
        'binary junk',
        () => [good(), file('j.csv', '\u0000\u0001\u0002PK\u0003\u0004')],
        /not a faultscale results CSV/,
      ],
      [
        'a bad number in a row',
        () => [good(), file('n.csv', resultsText(sweep(1).rows).replace(THREADS_OF_FIRST_ROW, '\r\n$1one,'))],
        /line 2: threads 'one' is not an integer/,
      ],
      [
        'a short row',
        () => [good(), file('s.csv', resultsText(sweep(1).rows) + 'model,x\r\n')],
        /line 8: 2 fields, but the header has \d+/,
      ],
      [
        'a malformed sidecar',
        () => {
          const f = good();
          fs.writeFileSync(sidecarPath(f), 'run,faults_per_sec\r\n1,2\r\n');
          return [f, good()];
        },
        /base runs sidecar '.*good\.runs\.csv': not a faultscale runs sidecar/,
      ],
      ['--fail-above abc', () => [good(), good(), '--fail-above', 'abc'], /--fail-above: 'abc' is not a number/],
      ['--fail-above -5', () => [good(), good(), '--fail-above', '-5'], /--fail-above: '-5' is not allowed/],
      ['--fail-above without a value', () => [good(), good(), '--fail-above'], /--fail-above: missing value/],
      [
        '--alpha 2',
        () => [good(), good(), '--alpha', '2'],
        /--alpha: '2' is not allowed; must be a number greater than 0 and less than 1/,
      ],
      ['--alpha=x', () => [good(), good(), '--alpha=x'], /--alpha: 'x' is not a number/],
      [
        'an unknown option',
        () => [good(), good(), '--frobnicate'],
        /--frobnicate: unknown option; options are --baseline, --format, --fail-above, --alpha, --method, --noise, or --help/,
      ],
      [
        '--method ttest',
        () => [good(), good(), '--method', 'ttest'],
        /--method: unknown value 'ttest'; allowed: welch, lkp, or both/,
      ],
      ['--noise -1', () => [good(), good(), '--noise=-1'], /--noise: '-1' is not allowed/],
      ['one file', () => [good()], /expected two files, BASE\.csv and NEW\.csv, but got 1/],
      ['three files', () => [good(), good(), good()], /but got 3/],
    ];
    it.each(cases)('%s', (_, args, message) => {
      const r = compareCli(args());
      expect(r.status, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.endsWith('\n')).toBe(true);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^faultscale: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('--help prints the usage and exits 0', () => {
    const r = compareCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--fail-above PCT/);
    expect(r.stdout).toMatch(/--method NAME/);
    expect(r.stdout).toMatch(/--noise PCT/);
  });

  it('--noise above the planted regression turns it into noise, and --fail-above passes', () => {
    const base = write(sweep(1), 'base');
    const next = write(sweep(2, regressed), 'new');
    const r = compareCli([base, next, '--noise', '25', '--fail-above', '10', '--method', 'both']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/noise threshold 25% \(--noise\)/);
    expect(r.stdout.split('\n').find((l) => REGRESSED_KEY.test(l))).toMatch(/\bwithin noise\b/);
    expect(r.stdout).toMatch(/geometric mean of 6 rows/);
  });
});
