/**
 * Failed and interrupted configurations are rows, and no analysis reads
 * their (empty) figures: compare, the USL fit, the trade-off and the chart
 * skip them; the summary table names their status where the figure would be.
 */
import { describe, expect, it } from 'vitest';

import { compareRows } from '../../src/analysis/compare.js';
import { tradeoff } from '../../src/analysis/tradeoff.js';
import { uslBySeries } from '../../src/analysis/usl-series.js';
import { uslThroughput } from '../../src/analysis/usl.js';
import { formatTable } from '../../src/output/table.js';
import { terminalChart } from '../../src/output/termchart.js';
import { parseResultsCsv } from '../../src/rows/read.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { resultsCsv } from '../../src/rows/write.js';

const base: Row = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? '' : NaN])) as Row),
  target: 'model',
  workload: 'rewrite',
  journal: 'jbd2',
  lock: 'rw',
  profile: 'default@1',
  runs: 3,
  status: 'ok',
  error: '',
};
const fit = { lambda: 1e6, sigma: 0.05, kappa: 0.001 };
const measured = (strategy: string, threads: number): Row => ({
  ...base,
  strategy,
  threads,
  faults_per_sec_mean: uslThroughput(fit, threads),
  stores_per_sec: uslThroughput(fit, threads),
  staleness_samples: 10,
  staleness_max_sec: 1,
  unnoticed_stores: 0,
});
const failed = (strategy: string, threads: number): Row => ({
  ...base,
  strategy,
  threads,
  runs: 0,
  status: 'failed',
  error: 'run 1 of 3 failed: boom',
});

const ok = [1, 2, 4].map((t) => measured('eager', t));
// The failed row is at the highest thread count, where the trade-off looks.
const rows = [...ok, failed('eager', 8), failed('lazytime', 8)];

describe('rows that were not measured', () => {
  it('round-trip through the CSV as failed rows with empty figures', () => {
    const back = parseResultsCsv(resultsCsv(rows), 'r');
    expect(back.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'failed', 'failed']);
    expect(back[3]!.faults_per_sec_mean).toBeNaN();
  });

  it('are not compared', () => {
    const set = { label: 'x', rows, runs: null };
    const report = compareRows(set, { ...set, label: 'y' });
    expect(report.compared.map((c) => c.row.threads)).toEqual([1, 2, 4]);
    expect(report.onlyBase).toEqual([]);
  });

  it('are not fitted', () => {
    const series = uslBySeries(rows);
    expect(series.map((s) => s.strategy)).toEqual(['eager']);
    expect(series[0]!.result.ok && series[0]!.result.fit.points).toBe(3);
  });

  it('are not in the trade-off, which looks at the highest measured thread count', () => {
    const t = tradeoff(rows);
    expect(t.map((e) => [e.strategy, e.threads])).toEqual([['eager', 4]]);
  });

  it('are not charted', () => {
    const chart = terminalChart(rows, { width: 30, height: 8 });
    expect(chart).toContain('legend: E eager');
    expect(chart).not.toContain('lazytime');
  });

  it('show their status in the summary table', () => {
    const table = formatTable(rows);
    expect(table).toMatch(/^eager\s.*\bfailed$/m);
    expect(table).toMatch(/^lazytime\s+failed$/m);
  });
});
