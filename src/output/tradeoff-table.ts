/** The trade-off as a terminal table: per series and strategy, stores/s, max staleness and unnoticed stores, `*` on the Pareto set. */
import type { TradeoffEntry } from '../analysis/tradeoff.js';
import { fmtRate } from './format.js';
import { textTable } from './text-table.js';

export const TRADEOFF_HEADER = [
  'series',
  'strategy',
  'threads',
  'stores/s',
  'max staleness (kernel s)',
  'unnoticed stores/run',
  'pareto',
] as const;

/** The entries' cells, in TRADEOFF_HEADER's order; the terminal and the HTML report show the same. */
export function tradeoffCells(entries: readonly TradeoffEntry[]): string[][] {
  return entries.map((e) => [
    `${e.workload}/${e.journal}`,
    e.strategy,
    String(e.threads),
    fmtRate(e.storesPerSec),
    (Number.isFinite(e.stalenessMaxSec) ? e.stalenessMaxSec.toFixed(3) : 'never') +
      (e.samplesDropped > 0 ? ` (${e.samplesDropped} samples dropped)` : ''),
    String(Math.round(e.unnoticedStores)),
    e.pareto ? '*' : '',
  ]);
}

export function formatTradeoff(entries: readonly TradeoffEntry[]): string {
  if (entries.length === 0) return '';
  const rows = tradeoffCells(entries);
  const header = [...TRADEOFF_HEADER];
  return [
    '',
    'trade-off at the highest thread count (* = no other strategy has more stores/s, less staleness and fewer unnoticed stores;' +
      ' "samples dropped": the observer fell behind and those stores are not in the staleness figures):',
    ...textTable(header, rows, (i) => (i < 2 ? 'left' : 'right')),
  ].join('\n');
}
