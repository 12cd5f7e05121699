/**
 * The HTML report: built from a small results CSV, it is one self-contained
 * file (no script, no URL but the SVG namespace) with every chart rendered as
 * SVG and every strategy drawn; headless Chromium (when installed) loads it
 * and keeps every chart and its series (report-visible.test.ts checks what it
 * draws). The report CLI writes the file and prints its path, and answers bad
 * input with one line, exit 2.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { csvLine } from '../../src/rows/codec.js';
import { measuredRows, parseResultsCsv, readResultsFile, ResultsFileError } from '../../src/rows/read.js';
import { renderReport } from '../../src/output/report/index.js';
import { COLUMNS, type ColumnName } from '../../src/rows/rows.js';
import { chromiumSkipNote, runChromium, runChromiumTests } from '../helpers/chromium.js';
import { repoRoot, tempDir } from '../helpers/cli.js';

// Rendering takes a second or so and Chromium a few; the limit only guards a loaded CI machine.
const TIMEOUT_MS = 60_000;

const STRATEGIES = ['eager', 'lazytime', 'multigrain'] as const;
const THREADS = [1, 2, 4] as const;
const GROUP = 'model-separate-file-jbd2';
const CHARTS = ['throughput', 'efficiency', 'staleness', 'locks', 'perfault'].map((c) => `${c}-${GROUP}`);

/** 3 strategies × threads 1, 2, 4, every column filled (CI, staleness and lock figures included). */
function sampleCsv(): string {
  const lines = [csvLine(COLUMNS.map((c) => c[0]))];
  STRATEGIES.forEach((strategy, si) => {
    const base = 1_000_000 * (1 + si * 0.1);
    for (const threads of THREADS) {
      const mean = base * threads * (1 - 0.08 * si * Math.log2(threads));
      const row: Partial<Record<ColumnName, string | number>> = {
        target: 'model',
        workload: 'separate-file',
        journal: 'jbd2',
        lock: 'rw',
        strategy,
        profile: 'default@1',
        threads,
        service_threads: 4,
        runs: 3,
        faults_per_sec_mean: mean,
        faults_per_sec_median: mean,
        faults_per_sec_stddev: mean * 0.02,
        faults_per_sec_ci95_low: mean * 0.95,
        faults_per_sec_ci95_high: mean * 1.05,
        ci95_halfwidth_share: 0.05,
        cv: 0.02,
        per_thread_faults_per_sec: mean / threads,
        per_thread_min_share: 0.97,
        speedup: mean / base,
        efficiency: mean / base / threads,
        linear_faults_per_sec: base * threads,
        idle_share: 0.1,
        oversubscribed: threads > 2 ? 1 : 0,
        txns_per_fault: 0.1 * (si + 1),
        staleness_p50_sec: 0.5 + si,
        staleness_p99_sec: 0.9 + si,
        staleness_max_sec: 1.2 + si * 3,
        staleness_p50_ms: (0.5 + si) * 10,
        staleness_p99_ms: (0.9 + si) * 10,
        staleness_max_ms: (1.2 + si * 3) * 10,
        unnoticed_stores: si * 100,
        unnoticed_share: si * 0.001,
        staleness_samples: 5000,
        observer_cpu_share: 0.01,
        hot_lock_acq_per_fault: 0.2,
        hot_lock_contended_share: 0.05 * (si + 1) * threads,
        hot_lock_spins_per_acq: 0.1,
        hot_lock_parks_per_acq: 0.01,
        locks_contended_share: 0.02 * (si + 1) * threads,
        locks_parks_per_fault: 0.003 * threads,
        duration_sec: 0.3,
        warmup_sec: 0.1,
        pages: 4096,
        time_scale: 0.01,
        tick_ms: 4,
        observer_interval_ms: 10,
        cores: 2,
        harness_version: '0.1.0',
        node_version: 'v20.20.2',
        timestamp: `2026-01-01T00:00:0${threads}.000Z`,
      };
      lines.push(csvLine(COLUMNS.map((c) => row[c[0]] ?? '')));
    }
  });
  return lines.join('');
}

/** The markup of each `data-chart` element, by id (the figure runs to the next one, or to the page's end). */
function chartsIn(html: string): Map<string, string> {
  const charts = new Map<string, string>();
  const re = /data-chart="([^"]+)"/g;
  const starts = [...html.matchAll(re)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : html.length;
    charts.set(m[1]!, html.slice(m.index, end));
  });
  return charts;
}

interface Mark {
  readonly kind: string;
  readonly label: string;
}

/** Vega's data marks (lines, points, bars, rules …) with their aria-labels; axes and legends left out. */
function marksIn(markup: string): Mark[] {
  const marks: Mark[] = [];
  for (const [tag] of markup.matchAll(/<[a-z]+\s[^>]*role="graphics-symbol"[^>]*>/g)) {
    const kind = /aria-roledescription="([^"]*)"/.exec(tag)?.[1] ?? '';
    if (kind === 'axis' || kind === 'legend') continue;
    marks.push({ kind, label: /aria-label="([^"]*)"/.exec(tag)?.[1] ?? '' });
  }
  return marks;
}

/** What the page must hold, checked on our output and again on Chromium's DOM. */
function expectChartsWithSeries(html: string): void {
  const charts = chartsIn(html);
  expect([...charts.keys()]).toEqual(CHARTS);
  for (const id of CHARTS) {
    const markup = charts.get(id)!;
    expect(markup, id).toContain('<svg');
    expect(marksIn(markup).length, `data marks in ${id}`).toBeGreaterThan(0);
  }
  const throughput = marksIn(charts.get(CHARTS[0]!)!);
  for (const s of STRATEGIES) {
    const lines = throughput.filter((m) => m.kind === 'line mark' && m.label.startsWith(`${s}:`));
    // The measured line, the dashed linear one and the dotted USL fit (3 thread counts: enough to fit).
    expect(lines.map((m) => m.label).sort(), `${s} lines`).toEqual([
      `${s}: USL fit`,
      `${s}: linear scaling from 1 thread`,
      `${s}: measured faults/s`,
    ]);
    const points = throughput.filter((m) => m.kind === 'point' && m.label.startsWith(`${s}, `));
    expect(points.length, `${s} points`).toBe(THREADS.length);
    expect(
      throughput.some((m) => m.label.startsWith(`${s}, `) && m.label.includes('95% CI')),
      `${s} error bars`,
    ).toBe(true);
    for (const id of CHARTS) {
      expect(
        marksIn(charts.get(id)!).some((m) => m.label.startsWith(s)),
        `${s} in ${id}`,
      ).toBe(true);
    }
  }
}

const root = tempDir('report');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const csvPath = path.join(root, 'run.csv');
const htmlPath = path.join(root, 'run.html');
let html = '';

beforeAll(async () => {
  fs.writeFileSync(csvPath, sampleCsv());
  html = await renderReport(readResultsFile(csvPath), { source: csvPath, title: 'test report' });
  fs.writeFileSync(htmlPath, html);
}, TIMEOUT_MS);

describe('renderReport', () => {
  it('is self-contained: no URL but the SVG namespace, no script', () => {
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]*/g)].map((m) => m[0]);
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('renders every chart as SVG, each strategy in the throughput chart', () => {
    expectChartsWithSeries(html);
    const throughputSvg = chartsIn(html).get(CHARTS[0]!)!;
    for (const s of STRATEGIES) expect(throughputSvg).toContain(s);
  });

  it('has the parameters table', () => {
    const table = /<table[^>]*id="parameters"[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    for (const text of [
      'default@1',
      'rw',
      '0.01',
      'v20.20.2',
      '0.1.0',
      csvPath,
      '2026-01-01T00:00:01.000Z to 2026-01-01T00:00:04.000Z',
    ]) {
      expect(table).toContain(text);
    }
  });

  it('leaves out the staleness chart when no staleness was measured, and draws no CI without one', async () => {
    const stripped = sampleCsv()
      .split('\r\n')
      .map((line, i) => {
        if (i === 0 || line === '') return line;
        const cells = line.split(',');
        COLUMNS.forEach(([name], j) => {
          if (name.startsWith('staleness_') || name.startsWith('unnoticed') || name.includes('ci95')) cells[j] = '';
        });
        return cells.join(',');
      })
      .join('\r\n');
    const out = await renderReport(parseResultsCsv(stripped, 'stripped'), {});
    const charts = chartsIn(out);
    expect([...charts.keys()]).toEqual(CHARTS.filter((c) => !c.startsWith('staleness')));
    expect(marksIn(charts.get(CHARTS[0]!)!).some((m) => m.label.includes('95% CI'))).toBe(false);
  });

  it('draws only measured rows, and refuses rows of which none was measured', async () => {
    const rows = parseResultsCsv(sampleCsv(), 'sample');
    const ghost = {
      ...rows[0]!,
      strategy: 'ghost-strategy',
      status: 'failed' as const,
      faults_per_sec_mean: NaN,
      error: 'run 1 of 3 failed',
    };
    const out = await renderReport([...rows, ghost], {});
    // Listed once, in the table of configurations not measured; in no chart.
    expect(out.split('ghost-strategy').length - 1).toBe(1);
    expect(out.indexOf('ghost-strategy')).toBeGreaterThan(out.indexOf('id="not-measured"'));
    expect(out.indexOf('id="not-measured"')).toBeGreaterThan(0);
    expect(chartsIn(out).size).toBe(chartsIn(html).size);
    await expect(renderReport([ghost], {})).rejects.toThrow(/no measured rows/);
  });
});

describe("reading a report's rows", () => {
  it('refuses text that is not a results CSV, or has no measured row, with one line naming the file', () => {
    const failedOnly =
      csvLine(COLUMNS.map((c) => c[0])) +
      csvLine(COLUMNS.map(([name]) => ({ target: 'model', threads: 1, status: 'failed' })[name as string] ?? ''));
    for (const text of [
      '',
      'a,b,c\r\n1,2,3\r\n',
      csvLine(COLUMNS.map((c) => c[0])),
      'target,workload\r\nmodel,x\r\n',
      failedOnly,
    ]) {
      let err: unknown = null;
      try {
        measuredRows(parseResultsCsv(text, "'x.csv'"), "'x.csv'");
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(text)).toBeInstanceOf(ResultsFileError);
      expect((err as Error).message).toMatch(/^'x\.csv': /);
      expect((err as Error).message).not.toMatch(/\n/);
    }
  });
});

// ---------------------------------------------------------------------------
// The CLI, as a process.

const reportCli = path.join(repoRoot, 'dist', 'src', 'commands', 'report.js');

function runReport(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (!fs.existsSync(reportCli)) {
    throw new Error(`${reportCli} does not exist: run \`npx tsc -p tsconfig.json\` (npm test does) before these tests`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [reportCli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS - 5_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('report CLI', () => {
  it(
    'writes <csv>.html by default and --out when given, printing the path',
    async () => {
      const csv = path.join(root, 'cli.csv');
      fs.copyFileSync(csvPath, csv);
      const r = await runReport([csv]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${path.join(root, 'cli.html')}\n`);
      expect(fs.readFileSync(path.join(root, 'cli.html'), 'utf8')).toContain('data-chart="throughput-');
      const out = path.join(root, 'elsewhere.html');
      const r2 = await runReport([csv, '--out', out]);
      expect(r2.status).toBe(0);
      expect(r2.stdout).toBe(`${out}\n`);
      expect(fs.existsSync(out)).toBe(true);
    },
    TIMEOUT_MS,
  );

  const bad: [string, () => string[], RegExp][] = [
    ['a missing file', () => [path.join(root, 'nope.csv')], /cannot read .*nope\.csv.*no such file/],
    [
      'a file that is not a results CSV',
      () => [writeFile('other.csv', 'a,b\r\n1,2\r\n')],
      /not a faultscale results CSV/,
    ],
    ['an unknown option', () => [csvPath, '--bogus'], /--bogus: unknown option/],
    ['an unwritable --out', () => [csvPath, '--out', path.join(root, 'no-such-dir', 'r.html')], /--out: cannot write/],
    ['--out without a value', () => [csvPath, '--out'], /--out: missing value/],
    ['no CSV at all', () => [], /no results CSV given/],
  ];
  for (const [what, args, message] of bad) {
    it(
      `answers ${what} with one line and exit status 2`,
      async () => {
        const r = await runReport(args());
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^faultscale: [^\n]+\n$/);
        expect(r.stderr).toMatch(message);
      },
      TIMEOUT_MS,
    );
  }
});

function writeFile(name: string, text: string): string {
  const p = path.join(root, name);
  fs.writeFileSync(p, text);
  return p;
}

// ---------------------------------------------------------------------------
// Headless Chromium: the page as a browser sees it.

describe('in headless Chromium', () => {
  it.skipIf(!runChromiumTests)(
    `keeps every chart's SVG with its series in the DOM${chromiumSkipNote}`,
    async () => {
      const r = await runChromium(htmlPath, ['--dump-dom'], root, TIMEOUT_MS - 5_000);
      expect(r.stdout, r.stderr.slice(-2000)).toContain('data-chart=');
      expectChartsWithSeries(r.stdout);
    },
    TIMEOUT_MS,
  );
});
