/** The trade-off as a terminal table: per series and strategy, stores/s, max staleness and unnoticed stores, `*` on the Pareto set. */
import type { TradeoffEntry } from '../analysis/tradeoff.js';
import { fmtRate } from './format.js';
import { textTable } from './text-table.js';

export function formatTradeoff(entries: readonly TradeoffEntry[]): string {
  if (entries.length === 0) return '';
  const rows = entries.map((e) => [
    `${e.workload}/${e.journal}`,
    e.strategy,
    String(e.threads),
    fmtRate(e.storesPerSec),
    (Number.isFinite(e.stalenessMaxSec) ? e.stalenessMaxSec.toFixed(3) : 'never') + (e.samplesDropped > 0 ? ` (${e.samplesDropped} samples dropped)` : ''),
    String(Math.round(e.unnoticedStores)),
    e.pareto ? '*' : '',
  ]);
  const header = ['series', 'strategy', 'threads', 'stores/s', 'max staleness (kernel s)', 'unnoticed stores/run', 'pareto'];
  return [
    '',
    'trade-off at the highest thread count (* = no other strategy has more stores/s, less staleness and fewer unnoticed stores;' +
      ' "samples dropped": the observer fell behind and those stores are not in the staleness figures):',
    ...textTable(header, rows, (i) => (i < 2 ? 'left' : 'right')),
  ].join('\n');
}
