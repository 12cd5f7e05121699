/**
 * A text chart of faults/s (y, from 0) against writer threads (x), one per
 * (workload, journal) group, one marker letter per strategy, for the
 * terminal after a sweep. Plain characters only (axis corners use '+', '|',
 * '-'), so it survives any terminal and a log file.
 *
 * The x axis is linear when the thread counts are evenly spaced (1,2,3,…)
 * and log2 otherwise (1,2,4,8,…), so doubling sweeps spread out evenly.
 * Where two strategies land on the same cell the later one steps a column
 * or two aside when there is room between thread counts; otherwise the cell
 * shows '*', explained under the legend.
 */
import { asRecords, fieldNumber, type RowsInput } from '../analysis/usl.js';
import { fmtRate } from './format.js';

export interface ChartOptions {
  /** Plot area width in characters (default 60, at least 16). */
  width?: number;
  /** Plot area height in lines (default 16, at least 4). */
  height?: number;
}

const OVERLAP = '*';

/**
 * One letter per strategy: the strategy's first letter not yet taken (so
 * none → N, eager-iversion → E, eager → A, deferred → D), else the first free
 * letter of the alphabet, then digits.
 */
export function strategyMarkers(strategies: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  const pool = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz';
  for (const s of strategies) {
    if (out.has(s)) continue;
    const fromName = [...s.toUpperCase()].find((c) => /[A-Z0-9]/.test(c) && !taken.has(c));
    const m = fromName ?? [...pool].find((c) => !taken.has(c)) ?? '?';
    taken.add(m);
    out.set(s, m);
  }
  return out;
}

interface Pt {
  strategy: string;
  threads: number;
  value: number;
}

/** The x axis: log2 unless the thread counts are evenly spaced; `col` maps a thread count to its column. */
function xScale(threads: readonly number[], width: number): { col: (t: number) => number; useLog: boolean } {
  const gaps = threads.slice(1).map((t, i) => t - threads[i]!);
  const even = gaps.every((g) => Math.abs(g - gaps[0]!) < 1e-9);
  const useLog = !even && threads[0]! > 0;
  const tf = (t: number): number => (useLog ? Math.log2(t) : t);
  const lo = tf(threads[0]!);
  const hi = tf(threads[threads.length - 1]!);
  // One thread count: a single column in the middle.
  const col = (t: number): number =>
    hi > lo ? Math.round(((tf(t) - lo) / (hi - lo)) * (width - 1)) : Math.floor((width - 1) / 2);
  return { col, useLog };
}

/** The plot area: each point's marker in its cell, and whether any cell had to show OVERLAP. */
function plotGrid(
  pts: readonly Pt[],
  markers: Map<string, string>,
  threads: readonly number[],
  col: (t: number) => number,
  yTop: number,
  width: number,
  height: number,
): { grid: string[][]; overlap: boolean } {
  const rowOf = (v: number): number => Math.round((Math.max(0, v) / yTop) * (height - 1)); // 0 = bottom
  const cols = threads.map(col);
  const minGap = Math.min(width, ...cols.slice(1).map((c, i) => c - cols[i]!));
  const nudge = Math.max(0, Math.min(2, Math.floor((minGap - 1) / 2)));
  const grid: string[][] = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  let overlap = false;
  for (const p of pts) {
    if (!Number.isFinite(p.value)) continue;
    const r = height - 1 - rowOf(p.value);
    const c = col(p.threads);
    const m = markers.get(p.strategy) ?? '?';
    // On a taken cell, step aside by up to `nudge` columns (never toward a
    // neighbouring thread count's column) before giving up with '*'.
    const row = grid[r]!;
    const spot = [0, ...Array.from({ length: nudge }, (_, i) => [i + 1, -(i + 1)]).flat()]
      .map((d) => c + d)
      .find((cc) => cc >= 0 && cc < width && (row[cc] === ' ' || row[cc] === m));
    if (spot !== undefined) row[spot] = m;
    else {
      row[c] = OVERLAP;
      overlap = true;
    }
  }
  return { grid, overlap };
}

/** The x axis lines under a plot whose y labels are `lw` wide: a tick under each thread count, labels where they fit. */
function xAxisLines(
  threads: readonly number[],
  col: (t: number) => number,
  useLog: boolean,
  width: number,
  lw: number,
): string[] {
  const axis = new Array<string>(width).fill('-');
  const tickLine = new Array<string>(width + 8).fill(' ');
  let free = 0;
  for (const t of threads) {
    const c = col(t);
    axis[c] = '+';
    const text = String(t);
    const start = Math.max(0, Math.min(c - Math.floor((text.length - 1) / 2), tickLine.length - text.length));
    if (start >= free) {
      for (let i = 0; i < text.length; i++) tickLine[start + i] = text[i]!;
      free = start + text.length + 1;
    }
  }
  return [
    `${' '.repeat(lw)} +${axis.join('')}`,
    `${' '.repeat(lw)}  ${tickLine.join('').trimEnd()}`,
    `${' '.repeat(lw)}  threads${useLog ? ' (log2 scale)' : ''}`,
  ];
}

function chartGroup(
  title: string,
  pts: Pt[],
  markers: Map<string, string>,
  width: number,
  height: number,
): { lines: string[]; overlap: boolean } {
  const threads = [...new Set(pts.map((p) => p.threads))].sort((a, b) => a - b);
  const maxV = Math.max(...pts.map((p) => p.value));
  const yTop = maxV > 0 ? maxV : 1;
  const { col, useLog } = xScale(threads, width);
  const { grid, overlap } = plotGrid(pts, markers, threads, col, yTop, width, height);

  // y labels at the top, the quarters and 0.
  const labels = new Map<number, string>();
  for (const q of [1, 0.75, 0.5, 0.25, 0]) labels.set(height - 1 - Math.round(q * (height - 1)), fmtRate(q * yTop));
  const lw = Math.max(...[...labels.values()].map((l) => l.length));
  const out: string[] = ['', `faults/s by threads: ${title}`];
  for (let r = 0; r < height; r++) {
    const label = labels.get(r);
    out.push(`${(label ?? '').padStart(lw)} ${label !== undefined ? '+' : '|'}${grid[r]!.join('').trimEnd()}`);
  }
  out.push(...xAxisLines(threads, col, useLog, width, lw));
  return { lines: out, overlap };
}

/** Charts of faults_per_sec_mean against threads, per (workload, journal) group, with a legend. */
export function terminalChart(rows: RowsInput, opts: ChartOptions = {}): string {
  const width = Math.max(16, Math.floor(opts.width ?? 60));
  const height = Math.max(4, Math.floor(opts.height ?? 16));
  const recs = asRecords(rows);
  const points = recs
    .map((r) => ({
      r,
      strategy: String(r.strategy ?? ''),
      threads: fieldNumber(r.threads),
      value: fieldNumber(r.faults_per_sec_mean),
    }))
    .filter((p) => Number.isFinite(p.threads) && p.threads > 0 && Number.isFinite(p.value));
  if (points.length === 0) return 'faults/s by threads: no rows to chart';
  const markers = strategyMarkers(points.map((p) => p.strategy));

  // Groups: (workload, journal); lock, profile and target join the key (and title) when they vary.
  const varies = (k: string): boolean => new Set(points.map((p) => String(p.r[k] ?? ''))).size > 1;
  const keyCols = ['workload', 'journal', ...['lock', 'profile', 'target'].filter(varies)];
  const groups = new Map<string, { title: string; pts: Pt[] }>();
  for (const p of points) {
    const id = keyCols.map((k) => String(p.r[k] ?? '')).join('\u0000');
    let g = groups.get(id);
    if (!g) {
      const title = [
        `${String(p.r.workload ?? '')}, journal ${String(p.r.journal ?? '')}`,
        ...keyCols.slice(2).map((k) => `${k} ${String(p.r[k] ?? '')}`),
      ].join(', ');
      groups.set(id, (g = { title, pts: [] }));
    }
    g.pts.push({ strategy: p.strategy, threads: p.threads, value: p.value });
  }

  const out: string[] = [];
  let overlap = false;
  for (const g of groups.values()) {
    const chart = chartGroup(g.title, g.pts, markers, width, height);
    out.push(...chart.lines);
    overlap ||= chart.overlap;
  }
  const legend = [...markers].map(([s, m]) => `${m} ${s}`);
  out.push('', `legend: ${legend.join('   ')}`);
  if (overlap) out.push(`        ${OVERLAP} two or more strategies on the same point`);
  return out.join('\n').replace(/^\n/, '');
}
