/** Chart spec: lock-contention figures per series at a group's highest thread count. */
import type { TopLevelSpec } from 'vega-lite';

import { atMaxThreads, num, pct, small, type Series } from './data.js';
import { CONFIG, PLOT_H, PLOT_W } from './style.js';

const LOCK_METRICS = [
  ['hot_lock_contended_share', 'hot lock: contended share'],
  ['locks_contended_share', 'all locks: contended share'],
  ['txns_per_fault', 'journal txns per fault'],
  ['locks_parks_per_fault', 'lock sleeps per fault'],
] as const;

export function locksSpec(series: readonly Series[], labels: readonly string[]): TopLevelSpec | null {
  const { threads, rows } = atMaxThreads(series);
  const values: object[] = [];
  for (const { label, row } of rows) {
    for (const [col, name] of LOCK_METRICS) {
      const v = num(row, col);
      if (v === null) continue;
      const shown = col.endsWith('_share') ? pct(v) : small(v);
      values.push({ series: label, metric: name, value: v, description: `${label}, ${threads} threads: ${name} ${shown}` });
    }
  }
  if (values.length === 0) return null;
  const order = labels.filter((l) => rows.some((r) => r.label === l));
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
      xOffset: { field: 'metric', type: 'nominal', sort: LOCK_METRICS.map((m) => m[1]) },
      y: {
        field: 'value',
        type: 'quantitative',
        title: 'value (square-root scale)',
        scale: { type: 'sqrt', zero: true },
      },
      color: {
        field: 'metric',
        type: 'nominal',
        title: 'figure',
        sort: LOCK_METRICS.map((m) => m[1]),
        scale: { domain: LOCK_METRICS.map((m) => m[1]), range: ['#d62728', '#ff9896', '#1f77b4', '#9467bd'] },
      },
      description: { field: 'description' },
    },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}
