/**
 * Chart specs at a group's highest thread count, one unit per chart: the
 * shares of lock acquisitions that found the lock taken (0 to 1), and the
 * journal transactions and lock sleeps per fault (counts).
 */
import type { TopLevelSpec } from 'vega-lite';

import type { ColumnName } from '../../rows/rows.js';
import { atMaxThreads, num, pct, small, type Series } from './data.js';
import { CONFIG, PLOT_H, PLOT_W } from './style.js';

type Metrics = readonly (readonly [ColumnName, string, string])[];

const SHARES: Metrics = [
  ['hot_lock_contended_share', 'hot lock', '#d62728'],
  ['locks_contended_share', 'all locks', '#ff9896'],
];
const PER_FAULT: Metrics = [
  ['txns_per_fault', 'journal transactions', '#1f77b4'],
  ['locks_parks_per_fault', 'lock sleeps', '#9467bd'],
];

/** The chart, or a sentence when every figure is 0, or null when none was measured. */
type Bars = TopLevelSpec | string | null;

function barsSpec(
  series: readonly Series[],
  labels: readonly string[],
  metrics: Metrics,
  y: object,
  show: (v: number) => string,
  what: string,
): Bars {
  const { threads, rows } = atMaxThreads(series);
  const values: object[] = [];
  for (const { label, row } of rows) {
    for (const [col, name] of metrics) {
      const v = num(row, col);
      if (v === null) continue;
      values.push({
        series: label,
        metric: name,
        value: v,
        description: `${label}, ${threads} threads: ${name} ${show(v)} ${what}`,
      });
    }
  }
  if (values.length === 0) return null;
  // Bars of height 0 draw nothing a reader can see: say it in words instead.
  if (values.every((v) => (v as { value: number }).value === 0)) return `every strategy: 0 at ${threads} threads`;
  const order = labels.filter((l) => rows.some((r) => r.label === l));
  const names = metrics.map((m) => m[1]);
  return {
    width: PLOT_W,
    height: PLOT_H,
    data: { values },
    mark: { type: 'bar', width: { band: 0.9 } },
    encoding: {
      x: {
        field: 'series',
        type: 'nominal',
        title: `strategy, at ${threads} threads`,
        sort: order,
        scale: { paddingInner: 0.25 },
        axis: { labelAngle: -30, labelAlign: 'right', labelLimit: 200 },
      },
      xOffset: { field: 'metric', type: 'nominal', sort: names },
      y: { field: 'value', type: 'quantitative', ...y },
      color: {
        field: 'metric',
        type: 'nominal',
        title: null,
        sort: names,
        scale: { domain: names, range: metrics.map((m) => m[2]) },
      },
      description: { field: 'description' },
    },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}

export function lockSharesSpec(series: readonly Series[], labels: readonly string[]): Bars {
  const y = {
    title: 'share of acquisitions that found the lock taken',
    scale: { domain: [0, 1] },
    axis: { format: '.0%' },
  };
  return barsSpec(series, labels, SHARES, y, pct, 'of acquisitions contended');
}

export function perFaultSpec(series: readonly Series[], labels: readonly string[]): Bars {
  const y = { title: 'per write fault (square-root scale)', scale: { type: 'sqrt', zero: true } };
  return barsSpec(series, labels, PER_FAULT, y, small, 'per fault');
}
