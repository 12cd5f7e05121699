/**
 * A comparison as text, like a kernel performance robot's report: a header
 * saying how significance and noise were decided, one line per compared row,
 * a geometric-mean line, rows found in only one file, and a tally.
 */
import { type CompareReport, type Comparison, type Verdict } from '../analysis/compare.js';
import type { ResultSet } from '../rows/read.js';
import { KEY_COLUMNS, keyText } from '../rows/runs.js';
import { okRows } from '../rows/rows.js';
import { NOISE_SDS } from '../analysis/noise.js';
import { fmtRate } from './format.js';
import { textTable } from './text-table.js';
import type { SampleStats } from '../analysis/welch.js';

const fmtP = (p: number): string => (!Number.isFinite(p) ? '-' : p >= 0.001 ? p.toFixed(3) : p === 0 ? '0' : p.toExponential(1));
const fmtPct = (x: number): string => (!Number.isFinite(x) ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(1)}%`);
const fmtSd = (s: SampleStats | null): string =>
  s && Number.isFinite(s.sd) && s.mean > 0 ? `±${((s.sd / s.mean) * 100).toFixed(1).padStart(4)}%` : '';
const fmtRanges = (c: Comparison): string => (c.ranges === null ? '-' : c.ranges.separated ? 'apart' : 'overlap');
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const METHOD_TEXT = {
  welch: (alpha: number) => `Welch's t-test, two-sided, alpha ${alpha}`,
  lkp: () => "LKP's range test (significant when the runs' [min, max] ranges do not overlap)",
  both: (alpha: number) => `Welch's t-test (two-sided, alpha ${alpha}) and LKP's range test, both`,
} as const;

function noiseText(report: CompareReport): string {
  const n = report.noise;
  if (n.source === 'given') return `noise threshold ${n.pct}% (--noise)`;
  if (n.medianCv === null) return `noise threshold ${n.pct}% (no spread to derive it from: the minimum)`;
  return `noise threshold ${n.pct.toFixed(1)}% (${NOISE_SDS} × the median run-to-run CV ${(n.medianCv * 100).toFixed(1)}% over ${n.rows} row sides)`;
}

export function formatCompare(report: CompareReport, base: ResultSet, next: ResultSet): string {
  const out: string[] = [];
  const all = [...base.rows, ...next.rows];
  const fixed = KEY_COLUMNS.filter((k) => !report.keyColumns.includes(k))
    .map((k) => `${k}=${String(all[0]?.[k] ?? '')}`)
    .join(' ');
  out.push(`faultscale compare: base ${base.label}, new ${next.label}; ${METHOD_TEXT[report.method](report.alpha)}`);
  out.push(`  ${noiseText(report)}: a change is reported only when significant and larger than it`);
  out.push(`  base spread: ${base.runsNote ?? (base.runs ? 'per-run samples' : 'CI columns')}`);
  out.push(`  new spread:  ${next.runsNote ?? (next.runs ? 'per-run samples' : 'CI columns')}`);
  if (fixed && all.length > 0) out.push(`  every row: ${fixed}`);
  for (const [role, set] of [['base', base], ['new', next]] as const) {
    const unmeasured = set.rows.length - okRows(set.rows).length;
    if (unmeasured > 0) out.push(`  ${role}: ${plural(unmeasured, 'row')} not measured (failed or interrupted), not compared`);
  }
  out.push('');

  const header = ['base faults/s', '%stddev', '%change', 'new faults/s', '%stddev', 'p', 'ranges', 'spread', 'verdict', 'key'];
  const body = report.compared.map((c) => [
    fmtRate(c.baseMean),
    fmtSd(c.base),
    fmtPct(c.changePct),
    fmtRate(c.newMean),
    fmtSd(c.next),
    fmtP(c.p),
    fmtRanges(c),
    c.source,
    c.verdict,
    keyText(c.row, report.keyColumns),
  ]);
  const g = report.geomean;
  if (g && body.length > 1) {
    const beyond = Math.abs(g.changePct) > report.noise.pct;
    body.push(['', '', '', '', '', '', '', '', '', '']);
    body.push([fmtRate(g.base), '', fmtPct(g.changePct), fmtRate(g.next), '', '', '', '', beyond ? 'beyond noise' : 'within noise', `geometric mean of ${plural(g.pairs, 'row')}`]);
  }
  if (report.compared.length > 0) {
    // Numbers right, words (ranges, spread, verdict, key) left.
    out.push(...textTable(header, body, (i) => (i >= 6 ? 'left' : 'right')));
  } else {
    out.push('no row is in both files');
  }
  for (const [label, rows] of [
    [base.label, report.onlyBase],
    [next.label, report.onlyNew],
  ] as const) {
    if (rows.length === 0) continue;
    out.push('', `only in ${label} (${plural(rows.length, 'row')}):`);
    for (const r of rows) out.push(`  ${fmtRate(Number(r.faults_per_sec_mean)).padStart(8)}  ${keyText(r, report.keyColumns)}`);
  }
  const count = (v: Verdict): number => report.compared.filter((c) => c.verdict === v).length;
  const tally = [
    plural(count('regression'), 'regression'),
    plural(count('improvement'), 'improvement'),
    `${count('within noise')} within noise`,
    `${count('no significant change')} no significant change`,
  ];
  const untested = count('not tested');
  if (untested > 0) tally.push(`${untested} not tested (${report.method === 'welch' ? 'a side has fewer than 2 runs' : 'a side has fewer than 2 runs in its sidecar'})`);
  out.push('', `${plural(report.compared.length, 'row')} compared: ${tally.join(', ')}`);
  return out.join('\n');
}
