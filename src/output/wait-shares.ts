/**
 * Where the time goes: the share of all CPU time spent waiting for each lock
 * class and for cache-line transfers, per configuration, at the highest
 * thread count of each series (the virtual analogue of a perf profile's
 * `_raw_spin_lock`). Rows without wait shares (real threads, a real kernel)
 * print nothing.
 */
import type { Row } from '../rows/rows.js';

/** The wait-share columns, in the order they are shown, with their short names. */
export const WAIT_SHARES = [
  ['line_wait_share', 'line'],
  ['hot_lock_wait_share', 'hot'],
  ['list_lock_wait_share', 'list'],
  ['buffer_lock_wait_share', 'buffer'],
  ['inode_lock_wait_share', 'inode'],
  ['page_lock_wait_share', 'page'],
  ['ctx_lock_wait_share', 'ctx'],
  ['grant_lock_wait_share', 'grant'],
] as const;
export type WaitShareColumn = (typeof WAIT_SHARES)[number][0];

/** A row's wait share in `col`, NaN when it has none. */
export const waitShare = (r: Row, col: WaitShareColumn): number => {
  const v = (r as unknown as Record<string, unknown>)[col];
  return typeof v === 'number' ? v : Number.NaN;
};

export const hasWaitShares = (r: Row): boolean =>
  r.status === 'ok' && WAIT_SHARES.some(([c]) => Number.isFinite(waitShare(r, c)));

/** Which configuration a row is, without its thread count. */
export const seriesOf = (r: Row): string => {
  const preset = (r as unknown as Record<string, unknown>).preset;
  const name = typeof preset === 'string' && preset !== '' ? `${preset}: ` : '';
  return `${name}${r.workload}/${r.journal}/${r.strategy} (lock ${r.lock})`;
};

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');

/** The table for the highest thread count of each series that has wait shares; '' when none has. */
export function formatWaitShares(rows: readonly Row[]): string {
  const top = new Map<string, Row>();
  for (const r of rows) {
    if (!hasWaitShares(r)) continue;
    const k = seriesOf(r);
    const seen = top.get(k);
    if (seen === undefined || Number(r.threads) > Number(seen.threads)) top.set(k, r);
  }
  if (top.size === 0) return '';
  const header = ['configuration', 'threads', ...WAIT_SHARES.map(([, short]) => short), 'all waits'];
  const body = [...top.entries()].map(([k, r]) => {
    const shares = WAIT_SHARES.map(([c]) => waitShare(r, c));
    const all = shares.filter(Number.isFinite).reduce((a, b) => a + b, 0);
    return [k, String(r.threads), ...shares.map(pct), pct(all)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    'where the time goes (share of all CPU time spent waiting, at the highest thread count of each configuration):',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}
