/**
 * The USL fits as a terminal table: per series λ, σ and κ with their 95%
 * bootstrap intervals, the residual standard error, the peak N* with its
 * interval, and X(N*). Series that could not be fitted are named on one line
 * below it (a sweep with too few thread counts prints only that line).
 */
import type { Interval } from '../analysis/usl-bootstrap.js';
import type { UslSeries } from '../analysis/usl-series.js';
import { fmtRate } from './format.js';
import { textTable } from './text-table.js';

const fmtCoef = (v: number): string => (v === 0 ? '0' : v >= 0.01 ? v.toFixed(4) : v.toExponential(2));
const fmtPeak = (v: number | null): string => (v === null || !Number.isFinite(v) ? '∞' : v.toFixed(1));
const withCi = (point: string, ci: Interval | undefined, f: (v: number | null) => string): string =>
  ci ? `${point} [${f(ci[0])}, ${f(ci[1])}]` : point;
const coefEnd = (v: number | null): string => (v === null ? '∞' : fmtCoef(v));

export const USL_TITLE = 'Universal Scalability Law, X(N) = λN / (1 + σ(N−1) + κN(N−1)), fitted to faults/s per series';

export const USL_HEADER = ['series', 'λ', 'σ [95% CI]', 'κ [95% CI]', 'RSE', 'N* [95% CI]', 'X(N*)', 'note'] as const;

/** The fitted series' cells, in USL_HEADER's order, and whether any has intervals; the terminal and the HTML report show the same. */
export function uslCells(series: readonly UslSeries[]): { body: string[][]; anyCi: boolean } {
  let anyCi = false;
  const body: string[][] = [];
  for (const s of series) {
    if (!s.result.ok) continue;
    const f = s.result.fit;
    const ci = s.intervals?.ok ? s.intervals.ci : undefined;
    anyCi ||= ci !== undefined;
    const notes: string[] = [];
    if (f.sigma >= 1) notes.push('no gain over 1 thread (σ ≥ 1)');
    else if (f.kappa === 0) notes.push(f.sigma > 0 ? 'no retrograde term: X(N*) is the limit λ/σ' : 'linear scaling');
    else if (f.peakN < 1) notes.push('peak below 1 thread');
    if (f.warning) notes.push(f.warning);
    if (s.intervals && !s.intervals.ok) notes.push(`no intervals: ${s.intervals.reason}`);
    body.push([
      s.label,
      fmtRate(f.lambda),
      withCi(fmtCoef(f.sigma), ci?.sigma, coefEnd),
      withCi(fmtCoef(f.kappa), ci?.kappa, coefEnd),
      fmtRate(f.rse),
      withCi(fmtPeak(f.peakN), ci?.peakN, fmtPeak),
      Number.isFinite(f.peakThroughput) ? fmtRate(f.peakThroughput) : '∞',
      notes.join('; '),
    ]);
  }
  return { body, anyCi };
}

export function formatUslTable(series: readonly UslSeries[]): string {
  const fitted = series.filter((s) => s.result.ok);
  const refused = new Map<string, string[]>();
  for (const s of series)
    if (!s.result.ok) refused.set(s.result.reason, [...(refused.get(s.result.reason) ?? []), s.label]);
  const refusedLines = [...refused].map(([reason, labels]) =>
    fitted.length === 0 && series.length > 1
      ? `${USL_TITLE}: not fitted: ${reason}`
      : `not fitted (${reason}): ${labels.join(', ')}`,
  );
  if (fitted.length === 0) return refusedLines.length > 0 ? refusedLines.join('\n') : `${USL_TITLE}: no rows`;

  const header = [...USL_HEADER];
  const { body, anyCi } = uslCells(fitted);
  const ciNote = anyCi
    ? '; [ ] = 95% bootstrap interval (runs resampled within each thread count), RSE = residual standard error (faults/s)'
    : '; RSE = residual standard error (faults/s)';
  return [
    `${USL_TITLE}${ciNote}:`,
    ...textTable(header, body, (i) => (i === 0 || i === header.length - 1 ? 'left' : 'right')),
    ...refusedLines,
  ].join('\n');
}
