/**
 * A comparison as text, like a kernel performance robot's report: a header
 * saying how significance and noise were decided, one line per compared row,
 * a geometric-mean line, rows found in only one file, and a tally.
 */
import type { CompareReport } from '../../analysis/compare.js';
import type { ResultSet } from '../../rows/read.js';
import { keyText } from '../../rows/runs.js';
import { fmtRate } from '../format.js';
import { textTable } from '../text-table.js';
import { contextLine } from './context-line.js';
import { unmeasuredNotes } from './unmeasured.js';
import { fixedKeys, fmtP, fmtPct, fmtRanges, fmtSd, METHOD_TEXT, noiseText, plural, tallyLine } from './words.js';

/** The header: how significance and noise were decided, where each side's spread came from, what was not compared. */
function headerLines(report: CompareReport, base: ResultSet, next: ResultSet): string[] {
  const out: string[] = [];
  const all = [...base.rows, ...next.rows];
  const fixed = fixedKeys(report, all);
  out.push(`faultscale compare: base ${base.label}, new ${next.label}; ${METHOD_TEXT[report.method](report.alpha)}`);
  out.push(`  ${noiseText(report)}: a change is reported only when significant and larger than it`);
  out.push(`  base spread: ${base.runsNote ?? (base.runs ? 'per-run samples' : 'CI columns')}`);
  out.push(`  new spread:  ${next.runsNote ?? (next.runs ? 'per-run samples' : 'CI columns')}`);
  if (fixed && all.length > 0) out.push(`  every row: ${fixed}`);
  const context = contextLine(report, base.label, next.label);
  if (context !== null) out.push(`  ${context}`);
  for (const note of unmeasuredNotes(base, next)) out.push(`  ${note}`);
  return out;
}

const TABLE_HEADER = [
  'base faults/s',
  '%stddev',
  '%change',
  'new faults/s',
  '%stddev',
  'p',
  'ranges',
  'spread',
  'verdict',
  'key',
];

/** The table's rows: one per compared row, then (for more than one) a blank line and the geometric mean. */
function tableBody(report: CompareReport): string[][] {
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
    body.push([
      fmtRate(g.base),
      '',
      fmtPct(g.changePct),
      fmtRate(g.next),
      '',
      '',
      '',
      '',
      beyond ? 'beyond noise' : 'within noise',
      `geometric mean of ${plural(g.pairs, 'row')}`,
    ]);
  }
  return body;
}

/** The rows found in only one of the files, under a heading per file. */
function onlyInLines(report: CompareReport, base: ResultSet, next: ResultSet): string[] {
  const out: string[] = [];
  for (const [label, rows] of [
    [base.label, report.onlyBase],
    [next.label, report.onlyNew],
  ] as const) {
    if (rows.length === 0) continue;
    out.push('', `only in ${label} (${plural(rows.length, 'row')}):`);
    for (const r of rows)
      out.push(`  ${fmtRate(Number(r.faults_per_sec_mean)).padStart(8)}  ${keyText(r, report.keyColumns)}`);
  }
  return out;
}

export function formatCompare(report: CompareReport, base: ResultSet, next: ResultSet): string {
  const out = [...headerLines(report, base, next), ''];
  if (report.compared.length > 0) {
    // Numbers right, words (ranges, spread, verdict, key) left.
    out.push(...textTable(TABLE_HEADER, tableBody(report), (i) => (i >= 6 ? 'left' : 'right')));
  } else {
    out.push('no row is in both files');
  }
  out.push(...onlyInLines(report, base, next), '', tallyLine(report));
  return out.join('\n');
}
