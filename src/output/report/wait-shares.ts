/** Chart spec: where the time goes, per series: the wait shares stacked against threads (virtual-target rows only). */
import type { TopLevelSpec } from 'vega-lite';

import { WAIT_SHARES, waitShare } from '../wait-shares.js';
import { pct, type Series } from './data.js';
import { CONFIG } from './style.js';

const NAMES = WAIT_SHARES.map(([, short]) => short);
// One colour per wait: lines grey, the journal's own locks warm, the per-object locks cool.
const COLOURS = ['#7f7f7f', '#d62728', '#ff7f0e', '#bcbd22', '#1f77b4', '#17becf', '#9467bd', '#e377c2'];

export function waitSharesSpec(series: readonly Series[], labels: readonly string[]): TopLevelSpec | null {
  const values: object[] = [];
  for (const s of series) {
    for (const row of s.rows) {
      if (row.status !== 'ok') continue;
      for (const [col, short] of WAIT_SHARES) {
        const v = waitShare(row, col);
        if (!Number.isFinite(v)) continue;
        values.push({
          series: s.label,
          threads: row.threads,
          wait: short,
          rank: NAMES.indexOf(short),
          share: v,
          description: `${s.label}, ${row.threads} threads: ${short} ${pct(v)}`,
        });
      }
    }
  }
  if (values.length === 0) return null;
  const order = labels.filter((l) => series.some((s) => s.label === l));
  return {
    data: { values },
    facet: { field: 'series', type: 'nominal', title: null, sort: order },
    columns: 3,
    spec: {
      width: 200,
      height: 140,
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'threads', type: 'ordinal', title: 'threads (virtual CPUs)', sort: 'ascending' },
        y: {
          field: 'share',
          type: 'quantitative',
          aggregate: 'sum',
          stack: 'zero',
          title: 'share of all CPU time',
          axis: { format: '.0%' },
        },
        color: {
          field: 'wait',
          type: 'nominal',
          title: 'waiting for',
          sort: NAMES,
          scale: { domain: NAMES, range: COLOURS },
        },
        order: { field: 'rank', type: 'quantitative', sort: 'ascending' },
        description: { field: 'description' },
      },
    },
    config: CONFIG,
  } as unknown as TopLevelSpec;
}
