/**
 * The report's numbers and axes, read from its HTML: a numbers table per group
 * with one row per measured CSV row (mean, CI, efficiency, change against
 * `none`), the USL fits and the trade-off with its Pareto marks, the
 * configurations not measured, the context columns, a link to the CSV; a
 * log2 thread axis for doubling sweeps and no host-cores rule for a simulated
 * machine; a <title> on every data mark.
 */
import { describe, expect, it } from 'vitest';

import { renderReport } from '../../src/output/report/index.js';
import type { Row } from '../../src/rows/rows.js';
import { rowKey } from '../../src/rows/runs.js';
import { makeRow, scalingRow } from '../helpers/rows.js';

const STRATEGIES = ['none', 'eager-iversion', 'multigrain'] as const;

/** Two runs per row (so CIs), staleness on the top rows, each strategy scaling worse than the one before. */
function sweep(threads: readonly number[], extra: Partial<Row>): Row[] {
  return STRATEGIES.flatMap((strategy, si) =>
    threads.map((t) => {
      const mean = 1e6 * t * (1 - (0.1 * si * Math.log2(t)) / Math.log2(Math.max(...threads)));
      return scalingRow(t, mean, 0.03, {
        strategy,
        cores: 2,
        staleness_samples: 100,
        staleness_max_sec: 1 + si,
        unnoticed_stores: si === 0 ? 10 : 0,
        txns_per_fault: si * 0.5,
        locks_parks_per_fault: 0,
        hot_lock_contended_share: 0.1 * si,
        locks_contended_share: 0.05 * si,
        host: 'testhost',
        cpu_model: 'Test CPU @ 2.00GHz',
        command_line: 'faultscale bench --quick',
        timestamp: '2026-01-01T00:00:00.000Z',
        ...extra,
      });
    }),
  );
}

const table = (html: string, id: string): string =>
  new RegExp(`<table[^>]*data-table="${id}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
const bodyRows = (t: string): string[][] =>
  [...(/<tbody>([\s\S]*)<\/tbody>/.exec(t)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => c[1]!),
  );
const cellTitles = (t: string): string[] => [...t.matchAll(/<td[^>]*title="([^"]*)"/g)].map((m) => m[1]!);

describe('the report in numbers', () => {
  it('has one numbers row per measured CSV row, with the exact mean, the CI, efficiency and the change against none', async () => {
    const rows = sweep([1, 2], {});
    const html = await renderReport(rows, { csvHref: 'run.csv', source: 'results/run.csv' });
    const numbers = table(html, 'numbers-model-separate-file-jbd2');
    const got = bodyRows(numbers);
    expect(got.map((r) => `${r[0]}@${r[1]}`)).toEqual(rows.map((r) => `${r.strategy}@${r.threads}`));
    const titles = cellTitles(numbers);
    for (const r of rows) expect(titles).toContain(String(r.faults_per_sec_mean));
    const eager2 = got.find((r) => r[0] === 'eager-iversion' && r[1] === '2')!;
    const none2 = rows.find((r) => r.strategy === 'none' && r.threads === 2)!;
    const eagerRow = rows.find((r) => r.strategy === 'eager-iversion' && r.threads === 2)!;
    const change = eagerRow.faults_per_sec_mean / none2.faults_per_sec_mean - 1;
    expect(eager2[6]).toBe(`−${Math.abs(change * 100).toFixed(1)}%`);
    expect(eager2[5]).toBe(eagerRow.efficiency.toFixed(2));
    expect(eager2[4]).toMatch(/^± .* \(3\.0%\)$/);
    expect(got.filter((r) => r[0] === 'none').every((r) => r[6] === 'control')).toBe(true);
    expect(html).toContain('<a href="run.csv">results/run.csv</a>');
  }, 60_000);

  it('has the USL fit per series with intervals from the runs, and the trade-off with its Pareto marks', async () => {
    const rows = sweep([1, 2, 4, 8, 16], {});
    const runs = new Map(rows.map((r) => [rowKey(r), [r.faults_per_sec_mean * 0.99, r.faults_per_sec_mean * 1.01]]));
    const html = await renderReport(rows, { runs });
    const usl = bodyRows(table(html, 'usl-model-separate-file-jbd2'));
    expect(usl.map((r) => r[0])).toEqual([...STRATEGIES]);
    expect(
      usl.every((r) => /\[.*, .*\]/.test(r[2]!)),
      'σ with its interval',
    ).toBe(true);
    const tradeoff = bodyRows(table(html, 'tradeoff-model-separate-file-jbd2'));
    expect(tradeoff.map((r) => r[1])).toEqual([...STRATEGIES]);
    // none has the most stores/s but unnoticed stores, eager-iversion the least staleness: each is bettered by no other.
    expect(tradeoff.map((r) => r[6])).toEqual(['*', '*', '']);
    const plain = bodyRows(table(await renderReport(rows, {}), 'usl-model-separate-file-jbd2'));
    expect(
      plain.every((r) => !r[2]!.includes('[')),
      'no intervals without the runs',
    ).toBe(true);
  }, 60_000);

  it('lists failed and interrupted rows with their reasons, and draws none of them', async () => {
    const rows = [
      ...sweep([1, 2], {}),
      makeRow({
        target: 'model',
        workload: 'separate-file',
        journal: 'jbd2',
        lock: 'rw',
        strategy: 'ghost',
        threads: 2,
        runs: 1,
        status: 'failed',
        error: 'run 1 of 3 failed: boom',
      }),
      makeRow({
        target: 'model',
        workload: 'separate-file',
        journal: 'jbd2',
        lock: 'rw',
        strategy: 'cut',
        threads: 2,
        runs: 2,
        status: 'interrupted',
        error: 'SIGINT',
      }),
    ];
    const html = await renderReport(rows, {});
    const listed = bodyRows(table(html, 'not-measured'));
    expect(listed.map((r) => [r[4], r[7], r[8]])).toEqual([
      ['ghost', 'failed', 'run 1 of 3 failed: boom'],
      ['cut', 'interrupted', 'SIGINT'],
    ]);
    expect(html.split('ghost').length - 1, 'ghost only in the not-measured table').toBe(1);
    expect(html).toContain('<a href="#not-measured">2 not measured</a>');
  }, 60_000);

  it('shows the context columns the rows fill, and leaves out those none fills', async () => {
    const html = await renderReport(sweep([1, 2], {}), { source: 'x.csv' });
    const context = Object.fromEntries(bodyRows(table(html, 'context')).map((r) => [r[0], r[1]]));
    expect(context).toMatchObject({
      host: 'testhost',
      cpu_model: 'Test CPU @ 2.00GHz',
      command_line: 'faultscale bench --quick',
      lock: 'rw',
      'source file': 'x.csv',
    });
    expect(context).not.toHaveProperty('git_commit');
  }, 60_000);
});

describe("the report's axes and marks", () => {
  const xAxis = (html: string, chart: string): string =>
    /aria-label="(X-axis[^"]*)"/.exec(
      new RegExp(`data-chart="${chart}"[\\s\\S]*?</figure>`).exec(html)?.[0] ?? '',
    )?.[1] ?? '';

  it('puts doubling thread counts on a log2 axis, and draws no host-cores rule for a simulated machine', async () => {
    const html = await renderReport(
      sweep([1, 2, 4, 8, 16, 32, 64], { target: 'virtual', hardware: 'westmere-ex-8s', cores: 2 }),
      {},
    );
    expect(xAxis(html, 'throughput-virtual-separate-file-jbd2')).toMatch(/log2 scale.*log scale/);
    expect(html).not.toMatch(/aria-label="cores: /);
  }, 60_000);

  it('keeps a linear axis and the cores rule for a short sweep on this machine beyond its cores', async () => {
    const html = await renderReport(sweep([1, 2, 3, 4], { cores: 2 }), {});
    expect(xAxis(html, 'throughput-model-separate-file-jbd2')).toMatch(/linear scale/);
    expect(html).toMatch(/aria-label="cores: 2 /);
  }, 60_000);

  it('says in words, instead of drawing bars of height 0, when every lock figure is 0', async () => {
    const zero = { txns_per_fault: 0, locks_parks_per_fault: 0, hot_lock_contended_share: 0, locks_contended_share: 0 };
    const html = await renderReport(sweep([1, 2], zero), {});
    const locks = new RegExp('data-chart="locks-[^"]*"[\\s\\S]*?</figure>').exec(html)?.[0] ?? '';
    expect(locks).toContain('<p class="zero">every strategy: 0 at 2 threads.</p>');
    expect(locks).not.toContain('<svg');
  }, 60_000);

  it('gives every data mark a <title> with its exact description, so hovering shows it', async () => {
    const html = await renderReport(sweep([1, 2, 4], {}), {});
    const marks = [
      ...html.matchAll(
        /<(path|line|rect)\s[^>]*role="graphics-symbol"[^>]*aria-roledescription="([^"]*)"[^>]*>(<title>[^<]*<\/title>)?/g,
      ),
    ];
    const data = marks.filter((m) => m[2] !== 'axis' && m[2] !== 'legend');
    expect(data.length).toBeGreaterThan(20);
    expect(data.filter((m) => m[3] === undefined).map((m) => m[0].slice(0, 120))).toEqual([]);
  }, 60_000);
});
