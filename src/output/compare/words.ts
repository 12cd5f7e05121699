/** How a comparison's numbers and verdicts are worded, the same in every format. */
import type { CompareReport, Comparison, Verdict } from '../../analysis/compare.js';
import { NOISE_SDS } from '../../analysis/noise.js';
import type { SampleStats } from '../../analysis/welch.js';
import type { Row } from '../../rows/rows.js';
import { KEY_COLUMNS } from '../../rows/runs.js';

export const fmtP = (p: number): string =>
  !Number.isFinite(p) ? '-' : p >= 0.001 ? p.toFixed(3) : p === 0 ? '0' : p.toExponential(1);
export const fmtPct = (x: number): string => (!Number.isFinite(x) ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(1)}%`);
export const fmtSd = (s: SampleStats | null): string =>
  s && Number.isFinite(s.sd) && s.mean > 0 ? `±${((s.sd / s.mean) * 100).toFixed(1).padStart(4)}%` : '';
export const fmtRanges = (c: Comparison): string =>
  c.ranges === null ? '-' : c.ranges.separated ? 'apart' : 'overlap';
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export const METHOD_TEXT = {
  welch: (alpha: number) => `Welch's t-test, two-sided, alpha ${alpha}`,
  lkp: () => "LKP's range test (significant when the runs' [min, max] ranges do not overlap)",
  both: (alpha: number) => `Welch's t-test (two-sided, alpha ${alpha}) and LKP's range test, both`,
} as const;

export function noiseText(report: CompareReport): string {
  const n = report.noise;
  if (n.source === 'given') return `noise threshold ${n.pct}% (--noise)`;
  if (n.medianCv === null) return `noise threshold ${n.pct}% (no spread to derive it from: the minimum)`;
  return `noise threshold ${n.pct.toFixed(1)}% (${NOISE_SDS} × the median run-to-run CV ${(n.medianCv * 100).toFixed(1)}% over ${n.rows} row sides)`;
}

/** `column=value` for the key columns every row shares (the others are shown per row). */
export function fixedKeys(report: CompareReport, rows: readonly Row[]): string {
  // An empty cell (a column the target does not fill, e.g. hardware off the virtual target) says nothing here.
  return KEY_COLUMNS.filter((k) => !report.keyColumns.includes(k))
    .map((k) => [k, rows[0]?.[k]] as const)
    .filter(([, v]) => v !== undefined && v !== '' && !(typeof v === 'number' && !Number.isFinite(v)))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** The closing count of verdicts. */
export function tallyLine(report: CompareReport): string {
  const count = (v: Verdict): number => report.compared.filter((c) => c.verdict === v).length;
  const tally = [
    plural(count('regression'), 'regression'),
    plural(count('improvement'), 'improvement'),
    `${count('within noise')} within noise`,
    `${count('no significant change')} no significant change`,
  ];
  const untested = count('not tested');
  if (untested > 0)
    tally.push(
      `${untested} not tested (${report.method === 'welch' ? 'a side has fewer than 2 runs' : 'a side has fewer than 2 runs in its sidecar'})`,
    );
  return `${plural(report.compared.length, 'row')} compared: ${tally.join(', ')}`;
}
