/**
 * Comparing two results CSVs row by row, the way a kernel performance robot
 * reports a commit: the change in mean faults/s and whether it is more than
 * run-to-run noise (Welch's t-test, two-sided).
 *
 * The samples for the test come from the `.runs.csv` sidecar beside each
 * results CSV (`results/x.csv` → `results/x.runs.csv`), one line per run:
 *
 *   target,workload,journal,lock,strategy,profile,threads,run,faults_per_sec
 *
 * Without a sidecar (or without at least 2 runs of a row in it) a row's
 * spread is recovered from its 95% CI columns and `runs`:
 * sd = (high − low) / 2 / t(0.975, runs − 1) × √runs, which is exactly what
 * the CI was computed from; the report says which source each file used.
 */
import fs from 'node:fs';

import { csvLine, parseCsv } from '../rows/csv.js';
import { quote, UsageError } from '../harness/errors.js';
import { tCdf, tQuantile } from './stats.js';
import { fmtRate, type RecordLike } from './usl.js';

/** The columns that identify a row in both files. */
export const KEY_COLUMNS = ['target', 'workload', 'journal', 'mount_options', 'lock', 'strategy', 'profile', 'threads'] as const;
/** The sidecar's header. */
export const RUNS_COLUMNS = [...KEY_COLUMNS, 'run', 'faults_per_sec'] as const;
/** One sidecar line: run `run` (from 1) of the configuration `row` describes. */
export function runsLine(row: RecordLike, run: number, faultsPerSec: number): string {
  return csvLine(RUNS_COLUMNS.map((col) => (col === 'run' ? run : col === 'faults_per_sec' ? faultsPerSec : row[col])));
}

/** Columns a results CSV must have for a comparison. */
export const REQUIRED_COLUMNS = [
  ...KEY_COLUMNS,
  'runs',
  'faults_per_sec_mean',
  'faults_per_sec_ci95_low',
  'faults_per_sec_ci95_high',
] as const;

export const DEFAULT_ALPHA = 0.05;

/** `results/x.csv` → `results/x.runs.csv` (a name without `.csv` just gains `.runs.csv`). */
export function sidecarPath(csvPath: string): string {
  return csvPath.replace(/\.csv$/i, '') + '.runs.csv';
}

/** The identity of a row: its key columns, threads as a canonical number. */
export function rowKey(r: RecordLike): string {
  return JSON.stringify(KEY_COLUMNS.map((k) => (k === 'threads' ? String(Number(r[k])) : String(r[k] ?? ''))));
}

/** The key for people: only the key columns that vary between rows (see `varyingKeyColumns`). */
export function keyText(r: RecordLike, columns: readonly string[]): string {
  return columns.map((k) => `${k}=${String(r[k] ?? '')}`).join(' ');
}

export interface SampleStats {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1). */
  readonly sd: number;
}

export interface WelchResult {
  /** t statistic of mean(b) − mean(a). */
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly df: number;
  /** Two-sided p-value; NaN when a side has fewer than 2 samples. */
  readonly p: number;
  readonly meanA: number;
  readonly meanB: number;
}

export function sampleStats(xs: readonly number[]): SampleStats {
  const n = xs.length;
  const mean = n > 0 ? xs.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { n, mean, sd };
}

/** Welch's unequal-variance t-test from summary statistics. */
export function welchFromStats(a: SampleStats, b: SampleStats): WelchResult {
  const base = { meanA: a.mean, meanB: b.mean };
  if (!(a.n >= 2 && b.n >= 2) || !Number.isFinite(a.sd) || !Number.isFinite(b.sd)) return { t: NaN, df: NaN, p: NaN, ...base };
  const va = (a.sd * a.sd) / a.n;
  const vb = (b.sd * b.sd) / b.n;
  const diff = b.mean - a.mean;
  if (va + vb === 0) {
    // No spread on either side: any difference is certain, none is certainly none.
    return { t: diff === 0 ? 0 : Math.sign(diff) * Infinity, df: a.n + b.n - 2, p: diff === 0 ? 1 : 0, ...base };
  }
  const t = diff / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  // 2·P(T ≤ −|t|): the lower tail keeps its precision for small p.
  const p = Math.min(1, 2 * tCdf(-Math.abs(t), df));
  return { t, df, p, ...base };
}

/** Welch's t-test on two samples (b against a). */
export function welch(a: readonly number[], b: readonly number[]): WelchResult {
  return welchFromStats(sampleStats(a), sampleStats(b));
}

/** One results file, parsed: its rows, and its sidecar's samples by row key when there is one. */
export interface ResultSet {
  /** How the file is named in the report. */
  readonly label: string;
  readonly rows: readonly RecordLike[];
  /** Per-run faults/s by `rowKey`; null without a sidecar. */
  readonly runs: ReadonlyMap<string, readonly number[]> | null;
  /** What the report says about where the spread came from, e.g. the sidecar's name or why it is absent. */
  readonly runsNote?: string;
}

export type Verdict = 'regression' | 'improvement' | 'no significant change' | 'not tested';
/** Where a comparison's spread came from: the sidecars, the CI columns, or some of each. */
export type SpreadSource = 'runs' | 'ci' | 'runs+ci' | 'none';

export interface Comparison {
  readonly key: string;
  readonly row: RecordLike;
  readonly baseMean: number;
  readonly newMean: number;
  readonly base: SampleStats | null;
  readonly next: SampleStats | null;
  /** (new − base) / base × 100; NaN when the base mean is not positive. */
  readonly changePct: number;
  /** Two-sided Welch p-value; NaN when not tested (a side without spread, e.g. 1 run). */
  readonly p: number;
  readonly source: SpreadSource;
  readonly verdict: Verdict;
}

export interface CompareReport {
  readonly alpha: number;
  readonly compared: Comparison[];
  readonly onlyBase: RecordLike[];
  readonly onlyNew: RecordLike[];
  /** Key columns that take more than one value over all rows (shown per row); the rest are shown once. */
  readonly keyColumns: string[];
}

const num = (v: string | number | undefined): number =>
  typeof v === 'number' ? v : v === undefined || v.trim() === '' ? NaN : Number(v);

/** A row's spread: from its runs when there are 2 or more, else from its CI columns. */
function spreadOf(row: RecordLike, runs: ReadonlyMap<string, readonly number[]> | null): { stats: SampleStats; source: 'runs' | 'ci' } | null {
  const samples = runs?.get(rowKey(row));
  if (samples && samples.length >= 2) return { stats: sampleStats(samples), source: 'runs' };
  const n = num(row.runs);
  const lo = num(row.faults_per_sec_ci95_low);
  const hi = num(row.faults_per_sec_ci95_high);
  if (!(Number.isInteger(n) && n >= 2 && Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo)) return null;
  const sd = ((hi - lo) / 2 / tQuantile(0.975, n - 1)) * Math.sqrt(n);
  return { stats: { n, mean: num(row.faults_per_sec_mean), sd }, source: 'ci' };
}

/** Key columns whose value differs between some rows of either file. */
export function varyingKeyColumns(rows: readonly RecordLike[]): string[] {
  const cols = KEY_COLUMNS.filter((k) => new Set(rows.map((r) => String(r[k] ?? ''))).size > 1) as string[];
  return cols.includes('threads') ? cols : [...cols, 'threads'];
}

/** Pairs the rows of two result sets by key and tests each pair. Pure: no files. */
export function compareRows(base: ResultSet, next: ResultSet, alpha = DEFAULT_ALPHA): CompareReport {
  const newByKey = new Map(next.rows.map((r) => [rowKey(r), r] as const));
  const baseKeys = new Set(base.rows.map(rowKey));
  const compared: Comparison[] = [];
  const onlyBase: RecordLike[] = [];
  for (const b of base.rows) {
    const key = rowKey(b);
    const n = newByKey.get(key);
    if (!n) {
      onlyBase.push(b);
      continue;
    }
    const baseMean = num(b.faults_per_sec_mean);
    const newMean = num(n.faults_per_sec_mean);
    const sb = spreadOf(b, base.runs);
    const sn = spreadOf(n, next.runs);
    const changePct = baseMean > 0 ? ((newMean - baseMean) / baseMean) * 100 : NaN;
    const p = sb && sn ? welchFromStats(sb.stats, sn.stats).p : NaN;
    const source: SpreadSource = !sb || !sn ? 'none' : sb.source === sn.source ? sb.source : 'runs+ci';
    let verdict: Verdict;
    if (!Number.isFinite(p)) verdict = 'not tested';
    else if (p < alpha && newMean < baseMean) verdict = 'regression';
    else if (p < alpha && newMean > baseMean) verdict = 'improvement';
    else verdict = 'no significant change';
    compared.push({ key, row: b, baseMean, newMean, base: sb?.stats ?? null, next: sn?.stats ?? null, changePct, p, source, verdict });
  }
  const onlyNew = next.rows.filter((r) => !baseKeys.has(rowKey(r)));
  return { alpha, compared, onlyBase, onlyNew, keyColumns: varyingKeyColumns([...base.rows, ...next.rows]) };
}

/** Significant regressions larger than `pct` percent. */
export function regressionsAbove(report: CompareReport, pct: number): Comparison[] {
  return report.compared.filter((c) => c.verdict === 'regression' && -c.changePct > pct);
}

const fmtP = (p: number): string => (!Number.isFinite(p) ? '-' : p >= 0.001 ? p.toFixed(3) : p === 0 ? '0' : p.toExponential(1));
const fmtPct = (x: number): string => (!Number.isFinite(x) ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(1)}%`);
const fmtSd = (s: SampleStats | null): string =>
  s && Number.isFinite(s.sd) && s.mean > 0 ? `±${((s.sd / s.mean) * 100).toFixed(1).padStart(4)}%` : '';
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The report as text: a header, one line per compared row, rows only in one file, and a tally. */
export function formatCompare(report: CompareReport, base: ResultSet, next: ResultSet): string {
  const out: string[] = [];
  const all = [...base.rows, ...next.rows];
  const fixed = KEY_COLUMNS.filter((k) => !report.keyColumns.includes(k))
    .map((k) => `${k}=${String(all[0]?.[k] ?? '')}`)
    .join(' ');
  out.push(`faultscale compare: base ${base.label}, new ${next.label}; Welch's t-test, two-sided, alpha ${report.alpha}`);
  out.push(`  base spread: ${base.runsNote ?? (base.runs ? 'per-run samples' : 'CI columns')}`);
  out.push(`  new spread:  ${next.runsNote ?? (next.runs ? 'per-run samples' : 'CI columns')}`);
  if (fixed && all.length > 0) out.push(`  every row: ${fixed}`);
  out.push('');

  const header = ['base faults/s', '%stddev', '%change', 'new faults/s', '%stddev', 'p', 'spread', 'verdict', 'key'];
  const body = report.compared.map((c) => [
    fmtRate(c.baseMean),
    fmtSd(c.base),
    fmtPct(c.changePct),
    fmtRate(c.newMean),
    fmtSd(c.next),
    fmtP(c.p),
    c.source,
    c.verdict,
    keyText(c.row, report.keyColumns),
  ]);
  if (body.length > 0) {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const left = new Set([6, 7, 8]);
    const line = (cells: string[]): string =>
      cells
        .map((v, i) => (left.has(i) ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
        .join('  ')
        .trimEnd();
    out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line));
  } else {
    out.push('no row is in both files');
  }
  for (const [label, rows] of [
    [base.label, report.onlyBase],
    [next.label, report.onlyNew],
  ] as const) {
    if (rows.length === 0) continue;
    out.push('', `only in ${label} (${plural(rows.length, 'row')}):`);
    for (const r of rows) out.push(`  ${fmtRate(num(r.faults_per_sec_mean)).padStart(8)}  ${keyText(r, report.keyColumns)}`);
  }
  const count = (v: Verdict): number => report.compared.filter((c) => c.verdict === v).length;
  const tally = [
    plural(count('regression'), 'regression'),
    plural(count('improvement'), 'improvement'),
    `${count('no significant change')} no significant change`,
  ];
  const untested = count('not tested');
  if (untested > 0) tally.push(`${untested} not tested (a side has fewer than 2 runs)`);
  out.push('', `${plural(report.compared.length, 'row')} compared: ${tally.join(', ')}`);
  return out.join('\n');
}

/* ---------- reading files (throws UsageError with one-line messages) ---------- */

function readText(path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${what} ${quote(path)}: cannot read: ${fsReason(e)}`);
  }
}

function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses CSV text with a required set of columns into records; `what` names the file in messages. */
function parseTable(text: string, what: string, required: readonly string[], kind: string): { records: RecordLike[]; lines: number[] } {
  const table = parseCsv(text.replace(/^\uFEFF/, ''));
  if (table.length === 0) throw new UsageError(`${what}: empty file; expected a ${kind} with a header line`);
  const header = table[0]!;
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new UsageError(
      `${what}: not a ${kind}: header lacks ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}` +
        ` (it starts ${quote(header.slice(0, 3).join(','))})`,
    );
  }
  const records: RecordLike[] = [];
  const lines: number[] = [];
  for (let i = 1; i < table.length; i++) {
    const rec = table[i]!;
    if (rec.length === 1 && rec[0] === '') continue; // blank line
    if (rec.length !== header.length) {
      throw new UsageError(`${what} line ${i + 1}: ${rec.length} fields, but the header has ${header.length}`);
    }
    records.push(Object.fromEntries(header.map((h, j) => [h, rec[j]!])));
    lines.push(i + 1);
  }
  return { records, lines };
}

function checkNumber(rec: RecordLike, col: string, where: string, opts: { optional?: boolean; integer?: boolean; min?: number }): void {
  const raw = String(rec[col] ?? '');
  if (raw === '' && opts.optional) return;
  const v = Number(raw);
  const ok = DECIMAL.test(raw.trim()) && Number.isFinite(v) && (!opts.integer || Number.isInteger(v)) && (opts.min === undefined || v >= opts.min);
  if (!ok) {
    const want = opts.integer ? `an integer of at least ${opts.min ?? 0}` : opts.min !== undefined ? `a number of at least ${opts.min}` : 'a number';
    throw new UsageError(`${where}: ${col} ${quote(raw)} is not ${want}`);
  }
}

/** Parses a results CSV's text (`what` names it in messages). */
export function parseResultsText(text: string, what: string): RecordLike[] {
  const { records, lines } = parseTable(text, what, REQUIRED_COLUMNS, 'faultscale results CSV');
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const where = `${what} line ${lines[i]}`;
    checkNumber(r, 'threads', where, { integer: true, min: 1 });
    checkNumber(r, 'runs', where, { integer: true, min: 1 });
    checkNumber(r, 'faults_per_sec_mean', where, { min: 0 });
    checkNumber(r, 'faults_per_sec_ci95_low', where, { optional: true });
    checkNumber(r, 'faults_per_sec_ci95_high', where, { optional: true });
    const key = rowKey(r);
    const first = seen.get(key);
    if (first !== undefined) throw new UsageError(`${where}: same key as line ${first} (${keyText(r, KEY_COLUMNS)})`);
    seen.set(key, lines[i]!);
  });
  return records;
}

/** Parses a `.runs.csv` sidecar's text into samples by row key. */
export function parseRunsText(text: string, what: string): Map<string, number[]> {
  const { records, lines } = parseTable(text, what, RUNS_COLUMNS, 'faultscale runs sidecar');
  const runs = new Map<string, number[]>();
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const where = `${what} line ${lines[i]}`;
    checkNumber(r, 'threads', where, { integer: true, min: 1 });
    checkNumber(r, 'run', where, { integer: true, min: 1 });
    checkNumber(r, 'faults_per_sec', where, { min: 0 });
    const key = rowKey(r);
    const id = `${key}#${Number(r.run)}`;
    if (seen.has(id)) throw new UsageError(`${where}: run ${String(r.run)} of ${keyText(r, KEY_COLUMNS)} appears twice`);
    seen.add(id);
    runs.set(key, [...(runs.get(key) ?? []), Number(r.faults_per_sec)]);
  });
  return runs;
}

/**
 * Reads a results CSV and its sidecar. A missing sidecar is not an error
 * (the CI columns stand in, and `runsNote` says so); an unreadable or
 * malformed one is, like a bad results CSV.
 */
export function loadResultSet(path: string, role: 'base' | 'new'): ResultSet {
  const rows = parseResultsText(readText(path, `${role} file`), `${role} file ${quote(path)}`);
  const side = sidecarPath(path);
  let text: string;
  try {
    text = fs.readFileSync(side, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (code !== 'ENOENT') throw new UsageError(`${role} runs sidecar ${quote(side)}: cannot read: ${fsReason(e)}`);
    return { label: path, rows, runs: null, runsNote: `${side} not found: using the CI columns of ${path} (sd = CI half-width / t × √runs)` };
  }
  const runs = parseRunsText(text, `${role} runs sidecar ${quote(side)}`);
  const covered = rows.filter((r) => (runs.get(rowKey(r))?.length ?? 0) >= 2).length;
  const note =
    covered === rows.length
      ? `per-run samples from ${side}`
      : `per-run samples from ${side} for ${covered} of ${rows.length} rows; CI columns of ${path} for the rest`;
  return { label: path, rows, runs, runsNote: note };
}
