/**
 * The terminal chart: every strategy's marker and the legend appear, the top
 * y label is the largest value, and it stays readable with 2 and 16 thread counts.
 */
import { describe, expect, it } from 'vitest';

import { parseResultsCsv } from '../../src/rows/read.js';
import { resultsCsv } from '../../src/rows/write.js';
import { COLUMNS, type Row } from '../../src/rows/rows.js';
import { STRATEGY_NAMES } from '../../src/model/strategies/index.js';
import { strategyMarkers, terminalChart } from '../../src/output/termchart.js';
import { uslThroughput } from '../../src/analysis/usl.js';

const base: Row = {
  ...(Object.fromEntries(COLUMNS.map(([name, unit]) => [name, unit === 'text' ? 'x' : 0])) as Row),
  runs: 1,
  status: 'ok',
  error: '',
};

function rows(threads: readonly number[], strategies: readonly string[] = STRATEGY_NAMES): Row[] {
  return strategies.flatMap((strategy, i) =>
    threads.map((t) => ({
      ...base,
      target: 'model',
      workload: 'shared-file',
      journal: 'jbd2',
      strategy,
      threads: t,
      faults_per_sec_mean: uslThroughput({ lambda: 1e6 * (1 + i), sigma: 0.03 * i, kappa: 0.002 * i }, t),
    })),
  );
}

const legendOf = (chart: string): string => chart.split('\n').find((l) => l.startsWith('legend:')) ?? '';
/** The plot area: lines drawn with the y axis, without their labels. */
const plotLines = (chart: string): string[] =>
  chart
    .split('\n')
    .filter((l) => /^\s*[\d.]*[kMG]?\s[+|]/.test(l))
    .map((l) => l.replace(/^\s*[\d.]*[kMG]?\s[+|]/, ''));

describe('strategyMarkers', () => {
  it('gives each strategy its own letter', () => {
    const m = strategyMarkers(STRATEGY_NAMES);
    expect(new Set(m.values()).size).toBe(STRATEGY_NAMES.length);
    expect(m.get('none')).toBe('N');
    expect(m.get('eager-iversion')).toBe('E');
    for (const v of m.values()) expect(v).toMatch(/^[A-Z0-9]$/);
  });
});

describe('terminalChart', () => {
  it.each([
    ['2 thread counts', [1, 16]],
    ['16 thread counts', Array.from({ length: 16 }, (_, i) => i + 1)],
    ['a doubling sweep', [1, 2, 4, 8, 16, 32, 64]],
  ])('with %s shows every strategy marker, the legend and the thread counts', (_, threads) => {
    const rs = rows(threads);
    const chart = terminalChart(rs);
    const markers = strategyMarkers(STRATEGY_NAMES);
    const legend = legendOf(chart);
    const plot = plotLines(chart).join('\n');
    for (const s of STRATEGY_NAMES) {
      expect(legend).toContain(`${markers.get(s)} ${s}`);
      expect(plot, `marker of ${s}`).toContain(markers.get(s)!);
    }
    expect(chart).toContain('faults/s by threads: shared-file, journal jbd2');
    // Every thread count is labelled under the axis at the default width.
    const ticks = chart.split('\n').find((l) => /^\s+1\s/.test(l)) ?? '';
    for (const t of threads) expect(ticks.split(/\s+/)).toContain(String(t));
    // No line longer than the label, axis and 60-column plot.
    for (const line of chart.split('\n').filter((l) => !l.startsWith('legend:')))
      expect(line.length).toBeLessThanOrEqual(80);
  });

  it('labels the top of the y axis with the largest value, and draws that point on the top line', () => {
    // Hand-written values, so the expected label is written out here rather than computed from the fixture.
    const at = (strategy: string, values: Record<number, number>): Row[] =>
      Object.entries(values).map(([t, v]) => ({
        ...base,
        target: 'model',
        workload: 'shared-file',
        journal: 'jbd2',
        strategy,
        threads: Number(t),
        faults_per_sec_mean: v,
      }));
    const eager = { 1: 1.2e6, 2: 2.1e6, 4: 3.45e6, 8: 2.9e6 };
    const lazy = { 1: 1.0e6, 2: 1.5e6, 4: 1.8e6, 8: 1.9e6 };
    const top = (rs: Row[]): string => terminalChart(rs).split('\n')[1]!;
    const line = top([...at('eager', eager), ...at('lazytime', lazy)]);
    expect(line.trim().split(' ')[0]).toBe('3.45M');
    // eager's 3.45M at 4 threads is the only point that high: its marker, and nothing else, is on the top line.
    const plot = line.replace(/^\s*\S+\s\+/, '');
    expect(plot.trim()).toBe('E');
    // The same chart with every value doubled: the label follows the data.
    const doubled = (v: Record<number, number>) => Object.fromEntries(Object.entries(v).map(([t, x]) => [t, 2 * x]));
    expect(
      top([...at('eager', doubled(eager)), ...at('lazytime', doubled(lazy))])
        .trim()
        .split(' ')[0],
    ).toBe('6.90M');
  });

  it('draws one chart per (workload, journal) and reads rows read back from a CSV alike', () => {
    const two = [
      ...rows([1, 2, 4], ['eager', 'lazytime']),
      ...rows([1, 2, 4], ['eager']).map((r) => ({ ...r, journal: 'xfs-cil' })),
    ];
    const fromRows = terminalChart(two, { width: 30, height: 8 });
    expect(fromRows.match(/^faults\/s by threads:/gm)).toHaveLength(2);
    expect(fromRows).toContain('journal xfs-cil');
    expect(terminalChart(parseResultsCsv(resultsCsv(two), 'two'), { width: 30, height: 8 })).toBe(fromRows);
  });
});
