/**
 * Comparing two results CSVs row by row, the way a kernel performance robot
 * reports a commit: the change in mean faults/s and whether it is more than
 * run-to-run noise. A change is reported only when the chosen test calls it
 * significant (Welch's t-test, two-sided; LKP's non-overlapping ranges; or
 * both) AND it is larger than the noise threshold (noise.ts); a geometric
 * mean over every matched configuration sums the comparison up.
 *
 * The samples for the test come from the `.runs.csv` sidecar beside each
 * results CSV (rows/runs.ts), read with the results by rows/read.ts. Only
 * measured (`ok`) rows are compared. Without a sidecar (or without at least 2 runs of a row in it) a row's
 * spread is recovered from its 95% CI columns and `runs`:
 * sd = (high − low) / 2 / t(0.975, runs − 1) × √runs, which is exactly what
 * the CI was computed from; the report says which source each file used.
 */
import { okRows, type Row } from '../rows/rows.js';
import type { ResultSet } from '../rows/read.js';
import { KEY_COLUMNS, rowKey } from '../rows/runs.js';
import { contextDifferences, recordsContext, type ContextDifference } from './context-diff.js';
import { geoMean, type GeoMean } from './geomean.js';
import { rangesTest, type RangeTest } from './lkp.js';
import { derivedNoise, givenNoise, type NoiseThreshold } from './noise.js';
import { tQuantile } from './stats.js';
import { quote } from '../rows/quote.js';
import { sampleStats, welchFromStats, type SampleStats } from './welch.js';

export { sampleStats, welch, welchFromStats, type SampleStats, type WelchResult } from './welch.js';

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

export type Verdict = 'regression' | 'improvement' | 'within noise' | 'no significant change' | 'not tested';
/** Where a comparison's spread came from: the sidecars, the CI columns, or some of each. */
export type SpreadSource = 'runs' | 'ci' | 'runs+ci' | 'none';

export interface Comparison {
  readonly key: string;
  readonly row: Row;
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
  readonly onlyBase: Row[];
  readonly onlyNew: Row[];
  /** Key columns that take more than one value over all rows (shown per row); the rest are shown once. */
  readonly keyColumns: string[];
  /** How the two files' machine and build differ (none: the same context), and whether each records one. */
  readonly context: {
    readonly differences: ContextDifference[];
    readonly baseRecorded: boolean;
    readonly newRecorded: boolean;
  };
}

/**
 * Why two files cannot be compared at all, or null: rows of different targets
 * (the model, a real kernel, a virtual machine) never measure one configuration.
 */
export function targetMismatch(base: ResultSet, next: ResultSet): string | null {
  const targets = (s: ResultSet): string[] => [...new Set(s.rows.map((r) => r.target))].sort();
  const b = targets(base);
  const n = targets(next);
  if (b.join(',') === n.join(',')) return null;
  return `compare: base ${quote(base.label)} has target ${b.join(', ')} and new ${quote(next.label)} has target ${n.join(', ')}; rows of different targets never measure the same configuration`;
}

/** A row's spread: from its runs when there are 2 or more, else from its CI columns. */
function spreadOf(
  row: Row,
  runs: ReadonlyMap<string, readonly number[]> | null,
): { stats: SampleStats; source: 'runs' | 'ci' } | null {
  const samples = runs?.get(rowKey(row));
  if (samples && samples.length >= 2) return { stats: sampleStats(samples), source: 'runs' };
  const n = row.runs;
  const lo = row.faults_per_sec_ci95_low;
  const hi = row.faults_per_sec_ci95_high;
  if (!(Number.isInteger(n) && n >= 2 && Number.isFinite(lo) && Number.isFinite(hi) && hi >= lo)) return null;
  const sd = ((hi - lo) / 2 / tQuantile(0.975, n - 1)) * Math.sqrt(n);
  return { stats: { n, mean: row.faults_per_sec_mean, sd }, source: 'ci' };
}

/** Key columns whose value differs between some rows of either file. */
export function varyingKeyColumns(rows: readonly Row[]): string[] {
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
  // Only measured rows compare; a failed or interrupted configuration has no mean.
  const baseRows = okRows(base.rows);
  const nextRows = okRows(next.rows);
  const newByKey = new Map(nextRows.map((r) => [rowKey(r), r] as const));
  const baseKeys = new Set(baseRows.map(rowKey));
  const pairs: Omit<Comparison, 'verdict'>[] = [];
  const significance: (boolean | null)[] = [];
  const onlyBase: Row[] = [];
  for (const b of baseRows) {
    const key = rowKey(b);
    const n = newByKey.get(key);
    if (!n) {
      onlyBase.push(b);
      continue;
    }
    const baseMean = b.faults_per_sec_mean;
    const newMean = n.faults_per_sec_mean;
    const sb = spreadOf(b, base.runs);
    const sn = spreadOf(n, next.runs);
    const changePct = baseMean > 0 ? ((newMean - baseMean) / baseMean) * 100 : NaN;
    const p = sb && sn ? welchFromStats(sb.stats, sn.stats).p : NaN;
    const ranges = rangesTest(base.runs?.get(key) ?? [], next.runs?.get(key) ?? []);
    const source: SpreadSource = !sb || !sn ? 'none' : sb.source === sn.source ? sb.source : 'runs+ci';
    pairs.push({
      key,
      row: b,
      baseMean,
      newMean,
      base: sb?.stats ?? null,
      next: sn?.stats ?? null,
      changePct,
      p,
      ranges,
      source,
    });
    significance.push(significant(method, p, alpha, ranges));
  }
  const cv = (s: SampleStats | null): number => (s && s.mean > 0 ? s.sd / s.mean : NaN);
  const noise =
    opts.noisePct !== undefined
      ? givenNoise(opts.noisePct)
      : derivedNoise(pairs.flatMap((c) => [cv(c.base), cv(c.next)]));
  const compared = pairs.map((c, i) => ({ ...c, verdict: verdictOf(significance[i]!, c.changePct, noise.pct) }));
  const onlyNew = nextRows.filter((r) => !baseKeys.has(rowKey(r)));
  return {
    alpha,
    method,
    noise,
    geomean: geoMean(compared.map((c) => [c.baseMean, c.newMean] as const)),
    compared,
    onlyBase,
    onlyNew,
    keyColumns: varyingKeyColumns([...baseRows, ...nextRows]),
    context: {
      differences: contextDifferences(base.rows, next.rows),
      baseRecorded: recordsContext(base.rows),
      newRecorded: recordsContext(next.rows),
    },
  };
}

/** Significant regressions larger than `pct` percent. */
export function regressionsAbove(report: CompareReport, pct: number): Comparison[] {
  return report.compared.filter((c) => c.verdict === 'regression' && -c.changePct > pct);
}
