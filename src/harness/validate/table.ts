/**
 * The validation table of `npm run validate:virtual`: per journal, thread
 * count and strategy, each side's mean faults/s relative to `none` at the same
 * thread count, and the gap between the two sides. Pure, so it is tested on
 * fixture rows.
 */
import type { Row } from '../../rows/rows.js';

/** The sides that are compared, in table order. */
export const SIDES = ['model', 'virtual'] as const;
export type Side = (typeof SIDES)[number];

/** What the table needs of a row. */
export type RateRow = Pick<Row, 'workload' | 'journal' | 'strategy' | 'threads' | 'faults_per_sec_mean'>;

export interface ValidationLine {
  readonly workload: string;
  readonly journal: string;
  readonly threads: number;
  readonly strategy: string;
  /** Throughput relative to `none` at the same configuration and threads, per side; null when that side has no such rows. */
  readonly model: number | null;
  readonly virtual: number | null;
  /** virtual / model − 1; null without both sides. */
  readonly gap: number | null;
}

const seriesKey = (r: Pick<RateRow, 'workload' | 'journal' | 'threads'>): string =>
  `${r.workload}|${r.journal}|${r.threads}`;

/** strategy → faults/s relative to `none` of the same workload, journal and threads; strategies without a `none` beside them are left out. */
export function relativeToNone(rows: readonly RateRow[]): Map<string, number> {
  const none = new Map<string, number>();
  for (const r of rows) if (r.strategy === 'none') none.set(seriesKey(r), r.faults_per_sec_mean);
  const out = new Map<string, number>();
  for (const r of rows) {
    const base = none.get(seriesKey(r));
    if (base === undefined || !(base > 0) || !Number.isFinite(r.faults_per_sec_mean)) continue;
    out.set(`${seriesKey(r)}|${r.strategy}`, r.faults_per_sec_mean / base);
  }
  return out;
}

/** One line per (workload, journal, threads, strategy other than none) found on either side, in the order the rows came. */
export function validationLines(sides: Readonly<Record<Side, readonly RateRow[] | null>>): ValidationLine[] {
  const rel = { model: relativeToNone(sides.model ?? []), virtual: relativeToNone(sides.virtual ?? []) };
  const seen = new Set<string>();
  const out: ValidationLine[] = [];
  for (const r of [...(sides.model ?? []), ...(sides.virtual ?? [])]) {
    if (r.strategy === 'none') continue;
    const key = `${seriesKey(r)}|${r.strategy}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const model = rel.model.get(key) ?? null;
    const virtual = rel.virtual.get(key) ?? null;
    out.push({
      workload: r.workload,
      journal: r.journal,
      threads: r.threads,
      strategy: r.strategy,
      model,
      virtual,
      gap: model !== null && virtual !== null && model > 0 ? virtual / model - 1 : null,
    });
  }
  return out.sort(
    (a, b) => a.workload.localeCompare(b.workload) || a.journal.localeCompare(b.journal) || a.threads - b.threads,
  );
}

const ratio = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
const percent = (x: number | null): string =>
  x === null ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%`;

/** A Markdown table, so docs/validation.md can keep it as printed. */
export function formatValidation(lines: readonly ValidationLine[]): string {
  const head = [
    'workload',
    'journal',
    'threads',
    'strategy',
    'model / none',
    'virtual / none',
    'gap (virtual / model − 1)',
  ];
  const body = lines.map((l) => [
    l.workload,
    l.journal,
    String(l.threads),
    l.strategy,
    ratio(l.model),
    ratio(l.virtual),
    percent(l.gap),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const numeric = (i: number): boolean => i === 2 || i >= 4;
  const row = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [row(head), rule, ...body.map(row)].join('\n');
}
