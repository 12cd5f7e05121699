/**
 * The report's data: measured rows grouped per (target, workload, journal),
 * each group's series (one per strategy, split by lock and profile where
 * those vary), and the number formats the charts' labels use.
 */
import type { ColumnName, Row } from '../../rows/rows.js';
import { fmtSi } from '../format.js';

export type Rec = Row;

export interface Series {
  readonly label: string;
  readonly rows: readonly Rec[];
}

export interface Group {
  readonly target: string;
  readonly workload: string;
  readonly journal: string;
  readonly slug: string;
  readonly rows: readonly Rec[];
}

/** The cell as text, as the CSV holds it: a number not measured is ''. */
export function str(r: Rec, c: ColumnName): string {
  const v = r[c];
  return typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
}
/** The column as a finite number, or null when not measured. */
export function num(r: Rec, c: ColumnName): number | null {
  const v = r[c];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

const slugify = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'x';

export function groupRows(rows: readonly Rec[]): Group[] {
  const groups = new Map<string, Rec[]>();
  for (const r of rows) {
    const key = JSON.stringify([str(r, 'target'), str(r, 'workload'), str(r, 'journal')]);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  const used = new Set<string>();
  return [...groups.entries()].map(([key, list]) => {
    const [target, workload, journal] = JSON.parse(key) as [string, string, string];
    let slug = slugify(`${target}-${workload}-${journal}`);
    for (let k = 2; used.has(slug); k++) slug = `${slugify(`${target}-${workload}-${journal}`)}-${k}`;
    used.add(slug);
    return { target, workload, journal, slug, rows: list };
  });
}

/**
 * Series of a group: one per strategy, told apart by lock kind and profile as
 * well when those vary inside the group (else their points would interleave).
 */
export function seriesOf(g: Group): Series[] {
  const byLock = uniq(g.rows.map((r) => str(r, 'lock'))).length > 1;
  const byProfile = uniq(g.rows.map((r) => str(r, 'profile'))).length > 1;
  const label = (r: Rec): string => {
    const extra = [byLock ? str(r, 'lock') : '', byProfile ? str(r, 'profile') : ''].filter((x) => x !== '');
    return extra.length > 0 ? `${str(r, 'strategy')} (${extra.join(', ')})` : str(r, 'strategy');
  };
  const map = new Map<string, Rec[]>();
  for (const r of g.rows) {
    const l = label(r);
    let list = map.get(l);
    if (!list) map.set(l, (list = []));
    list.push(r);
  }
  return [...map.entries()].map(([l, rows]) => ({
    label: l,
    rows: [...rows].sort((a, b) => num(a, 'threads')! - num(b, 'threads')!),
  }));
}

/** Rows of each series at the group's highest thread count. */
export function atMaxThreads(series: readonly Series[]): { threads: number; rows: { label: string; row: Rec }[] } {
  const threads = Math.max(...series.flatMap((s) => s.rows.map((r) => num(r, 'threads')!)));
  const rows: { label: string; row: Rec }[] = [];
  for (const s of series) {
    const row = s.rows.filter((r) => num(r, 'threads') === threads).at(-1);
    if (row) rows.push({ label: s.label, row });
  }
  return { threads, rows };
}

// Formatting

/** Chart labels' numbers: 3 significant digits with an SI suffix (format.ts). */
export const si = fmtSi;
export const fix = (n: number, digits: number): string => String(Number(n.toFixed(digits)));
export const pct = (n: number): string => `${Number((n * 100).toPrecision(3))}%`;
export function small(n: number): string {
  if (n === 0) return '0';
  return Math.abs(n) >= 0.01 ? fix(n, 3) : n.toExponential(2);
}
