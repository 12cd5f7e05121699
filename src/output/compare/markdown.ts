/**
 * A comparison as Markdown, for a pull request or an issue: what was compared
 * and how, the context line, one table row per compared configuration, the
 * geometric mean, rows found in one file only, and the tally.
 */
import type { CompareReport } from '../../analysis/compare.js';
import type { ResultSet } from '../../rows/read.js';
import { keyText } from '../../rows/runs.js';
import { fmtRate } from '../format.js';
import { contextLine } from './context-line.js';
import { unmeasuredNotes } from './unmeasured.js';
import { fixedKeys, fmtP, fmtPct, fmtRanges, METHOD_TEXT, noiseText, plural, tallyLine } from './words.js';

/** A cell's text with the characters that would break a table row escaped. */
const md = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

export function formatCompareMarkdown(report: CompareReport, base: ResultSet, next: ResultSet): string {
  const out: string[] = [];
  const all = [...base.rows, ...next.rows];
  out.push(`## faultscale compare: ${code(base.label)} → ${code(next.label)}`, '');
  out.push(`- significance: ${METHOD_TEXT[report.method](report.alpha)}`);
  out.push(`- ${noiseText(report)}: a change is reported only when significant and larger than it`);
  const fixed = fixedKeys(report, all);
  if (fixed) out.push(`- every row: ${code(fixed)}`);
  const context = contextLine(report, base.label, next.label);
  if (context !== null) out.push(`- **${md(context)}**`);
  for (const note of unmeasuredNotes(base, next)) out.push(`- ${note}`);
  out.push('');
  if (report.compared.length === 0) {
    out.push('No row is in both files.');
  } else {
    out.push(
      '| configuration | base faults/s | new faults/s | change | p | ranges | verdict |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- |',
    );
    for (const c of report.compared) {
      const verdict = c.verdict === 'regression' || c.verdict === 'improvement' ? `**${c.verdict}**` : c.verdict;
      out.push(
        `| ${md(keyText(c.row, report.keyColumns))} | ${fmtRate(c.baseMean)} | ${fmtRate(c.newMean)} | ${fmtPct(c.changePct)} | ${fmtP(c.p)} | ${fmtRanges(c)} | ${verdict} |`,
      );
    }
    const g = report.geomean;
    if (g && report.compared.length > 1) {
      const beyond = Math.abs(g.changePct) > report.noise.pct;
      out.push(
        `| geometric mean of ${plural(g.pairs, 'row')} | ${fmtRate(g.base)} | ${fmtRate(g.next)} | ${fmtPct(g.changePct)} | | | ${beyond ? 'beyond noise' : 'within noise'} |`,
      );
    }
  }
  for (const [label, rows] of [
    [base.label, report.onlyBase],
    [next.label, report.onlyNew],
  ] as const) {
    if (rows.length === 0) continue;
    out.push('', `Only in ${code(label)} (${plural(rows.length, 'row')}):`, '');
    for (const r of rows)
      out.push(`- ${md(keyText(r, report.keyColumns))}: ${fmtRate(r.faults_per_sec_mean)} faults/s`);
  }
  out.push('', tallyLine(report));
  return out.join('\n');
}
