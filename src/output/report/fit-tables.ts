/**
 * A group's two summaries, as the bench prints them after a sweep: the USL fit
 * per series with its bootstrap intervals (when the runs behind each mean are
 * known), and the trade-off at the highest thread count with the Pareto set.
 */
import { tradeoff } from '../../analysis/tradeoff.js';
import { uslBySeries } from '../../analysis/usl-series.js';
import type { Row } from '../../rows/rows.js';
import { rowKey } from '../../rows/runs.js';
import { TRADEOFF_HEADER, tradeoffCells } from '../tradeoff-table.js';
import { USL_HEADER, USL_TITLE, uslCells } from '../usl-table.js';
import { escapeHtml, htmlTable } from './html.js';

/** Per-run faults/s by `rowKey` (a sweep's samples or a `.runs.csv` sidecar). */
export type RunsByKey = ReadonlyMap<string, readonly number[]>;

export function uslTable(slug: string, rows: readonly Row[], runs: RunsByKey | undefined): string {
  // The group's workload and journal head the section, so a series is named by what follows them.
  const series = uslBySeries(rows, runs ? { runsOf: (r) => runs.get(rowKey(r as Row)) } : {}).map((s) => ({
    ...s,
    label: s.label.split('/').slice(2).join('/'),
  }));
  const { body, anyCi } = uslCells(series);
  const refused = new Map<string, string[]>();
  for (const s of series)
    if (!s.result.ok) refused.set(s.result.reason, [...(refused.get(s.result.reason) ?? []), s.label]);
  const refusedNote = [...refused]
    .map(
      ([why, labels]) =>
        `<p class="refused">USL not fitted (${escapeHtml(why)}): ${escapeHtml(labels.join(', '))}.</p>`,
    )
    .join('');
  if (body.length === 0) return `<div class="fit" data-table="usl-${escapeHtml(slug)}">${refusedNote}</div>`;
  const cells = body.map((r) => r.map((text, i) => ({ text, cls: i === 0 || i === r.length - 1 ? '' : 'num' })));
  const note = anyCi
    ? ' [ ] = 95% bootstrap interval (runs resampled within each thread count); RSE = residual standard error (faults/s).'
    : ' RSE = residual standard error (faults/s); no intervals without the per-run samples (the .runs.csv sidecar).';
  return htmlTable(`usl-${slug}`, USL_TITLE, [...USL_HEADER], cells, note) + refusedNote;
}

export function tradeoffTable(slug: string, rows: readonly Row[]): string {
  const entries = tradeoff(rows);
  if (entries.length === 0) return '';
  const cells = tradeoffCells(entries).map((r) => r.map((text, i) => (i < 2 ? text : { text, cls: 'num' })));
  return htmlTable(
    `tradeoff-${slug}`,
    'Trade-off at the highest thread count',
    [...TRADEOFF_HEADER],
    cells,
    ' * = Pareto set: no other strategy has more stores/s, less staleness and fewer unnoticed stores.',
  );
}
