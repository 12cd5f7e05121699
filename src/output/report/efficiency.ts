/** Chart spec: scaling efficiency (speedup / threads) against threads, with the linear rule at 1. */
import type { TopLevelSpec } from 'vega-lite';

import { fix, num, uniq, type Series } from './data.js';
import { CONFIG, PLOT_H, PLOT_W, colorScale, coresLayer, threadsAxis } from './style.js';

export function efficiencySpec(
  series: readonly Series[],
  colors: readonly string[],
  cores: number | null,
): TopLevelSpec | null {
  const values: object[] = [];
  for (const s of series) {
    for (const r of s.rows) {
      const e = num(r, 'efficiency');
      const t = num(r, 'threads')!;
      if (e === null) continue;
      const sp = num(r, 'speedup');
      values.push({
        series: s.label,
        threads: t,
        value: e,
        description: `${s.label}, ${t} threads: efficiency ${fix(e, 3)}${sp === null ? '' : `, speedup ${fix(sp, 2)}×`}`,
      });
    }
  }
  if (values.length === 0) return null;
  const threads = uniq(values.map((v) => String((v as { threads: number }).threads)))
    .map(Number)
    .sort((a, b) => a - b);
  const maxE = Math.max(1.1, ...values.map((v) => (v as { value: number }).value * 1.05));
  const x = threadsAxis(threads);
  const color = { field: 'series', type: 'nominal', title: 'strategy', scale: colorScale(colors) } as const;
  return {
    width: PLOT_W,
    height: PLOT_H,
    layer: [
      {
        data: { values: [{ y: 1, description: 'linear scaling: efficiency 1' }] },
        mark: { type: 'rule', color: '#777', strokeDash: [5, 4] },
        encoding: { y: { field: 'y', type: 'quantitative' }, description: { field: 'description' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 40 } },
        encoding: {
          x,
          y: {
            field: 'value',
            type: 'quantitative',
            title: 'efficiency (1 = linear)',
            scale: { domain: [0, maxE], nice: false },
          },
          color,
          description: { field: 'description' },
        },
      },
      ...coresLayer(cores, threads),
    ],
    config: CONFIG,
  } as unknown as TopLevelSpec;
}
