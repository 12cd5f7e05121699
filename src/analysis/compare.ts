/**
 * Comparing two results CSVs row by row, the way a kernel performance robot
 * reports a commit: the change in mean faults/s and whether it is more than
 * run-to-run noise. A change is reported only when the chosen test calls it
 * significant (Welch's t-test, two-sided; LKP's non-overlapping ranges; or
 * both) AND it is larger than the noise threshold (noise.ts); a geometric
 * mean over every matched configuration sums the comparison up.
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
import { geoMean, type GeoMean } from './geomean.js';
import { rangesTest, type RangeTest } from './lkp.js';
import { derivedNoise, givenNoise, type NoiseThreshold } from './noise.js';
import { tQuantile } from './stats.js';
import type { RecordLike } from './usl.js';
import { sampleStats, welchFromStats, type SampleStats } from './welch.js';

export { sampleStats, welch, welchFromStats, type SampleStats, type WelchResult } from './welch.js';

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

/** How significance is decided: Welch's t-test, LKP's range test, or both at once. */
export const METHODS = ['welch', 'lkp', 'both'] as const;
export type Method = (typeof METHODS)[number];
export const DEFAULT_METHOD: Method = 'welch';

export interface CompareOptions {
  readonly alpha?: number;
  readonly method?: Method;
  /** Noise threshold in percent; undefined: derived from the files' spread. */
  readonly noisePct?: number;
}

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

export type Verdict = 'regression' | 'improvement' | 'within noise' | 'no significant change' | 'not tested';
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
  /** LKP's range test on the per-run samples; null without 2 runs a side in the sidecars. */
  readonly ranges: RangeTest | null;
  readonly source: SpreadSource;
  readonly verdict: Verdict;
}

export interface CompareReport {
  readonly alpha: number;
  readonly method: Method;
  readonly noise: NoiseThreshold;
  /** Geometric means over the compared rows; null when none has two positive means. */
  readonly geomean: GeoMean | null;
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

/** Significant by the chosen method: true, false, or null when the method cannot test this pair. */
function significant(method: Method, p: number, alpha: number, ranges: RangeTest | null): boolean | null {
  const byWelch = Number.isFinite(p) ? p < alpha : null;
  const byLkp = ranges ? ranges.separated : null;
  if (method === 'welch') return byWelch;
  if (method === 'lkp') return byLkp;
  return byWelch === null || byLkp === null ? null : byWelch && byLkp;
}

function verdictOf(sig: boolean | null, changePct: number, noisePct: number): Verdict {
  if (sig === null || !Number.isFinite(changePct)) return 'not tested';
  if (!sig || changePct === 0) return 'no significant change';
  if (Math.abs(changePct) <= noisePct) return 'within noise';
  return changePct < 0 ? 'regression' : 'improvement';
}

/** Pairs the rows of two result sets by key and tests each pair. Pure: no files. */
export function compareRows(base: ResultSet, next: ResultSet, opts: CompareOptions = {}): CompareReport {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const method = opts.method ?? DEFAULT_METHOD;
  const newByKey = new Map(next.rows.map((r) => [rowKey(r), r] as const));
  const baseKeys = new Set(base.rows.map(rowKey));
  const pairs: Omit<Comparison, 'verdict'>[] = [];
  const significance: (boolean | null)[] = [];
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
    const ranges = rangesTest(base.runs?.get(key) ?? [], next.runs?.get(key) ?? []);
    const source: SpreadSource = !sb || !sn ? 'none' : sb.source === sn.source ? sb.source : 'runs+ci';
    pairs.push({ key, row: b, baseMean, newMean, base: sb?.stats ?? null, next: sn?.stats ?? null, changePct, p, ranges, source });
    significance.push(significant(method, p, alpha, ranges));
  }
  const cv = (s: SampleStats | null): number => (s && s.mean > 0 ? s.sd / s.mean : NaN);
  const noise = opts.noisePct !== undefined ? givenNoise(opts.noisePct) : derivedNoise(pairs.flatMap((c) => [cv(c.base), cv(c.next)]));
  const compared = pairs.map((c, i) => ({ ...c, verdict: verdictOf(significance[i]!, c.changePct, noise.pct) }));
  const onlyNew = next.rows.filter((r) => !baseKeys.has(rowKey(r)));
  return {
    alpha,
    method,
    noise,
    geomean: geoMean(compared.map((c) => [c.baseMean, c.newMean] as const)),
    compared,
    onlyBase,
    onlyNew,
    keyColumns: varyingKeyColumns([...base.rows, ...next.rows]),
  };
}

/** Significant regressions larger than `pct` percent. */
export function regressionsAbove(report: CompareReport, pct: number): Comparison[] {
  return report.compared.filter((c) => c.verdict === 'regression' && -c.changePct > pct);
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
