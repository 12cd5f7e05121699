/**
 * The one line compare prints when the two files ran in different contexts
 * (another machine, kernel, Node or build), or when one records none.
 */
import type { CompareReport } from '../../analysis/compare.js';
import type { ContextDifference } from '../../analysis/context-diff.js';
import { quote } from '../../rows/quote.js';

/** A commit reads as its short form; every other value as written, quoted when it has spaces. */
function show(d: ContextDifference, values: readonly string[]): string {
  if (values.length === 0) return '(none)';
  return values
    .map((v) => (v === '' ? '(empty)' : d.column === 'git_commit' ? v.slice(0, 7) : /\s/.test(v) ? quote(v) : v))
    .join(' | ');
}

/** The line, or null when both files record the same machine and build. */
export function contextLine(report: CompareReport, baseLabel: string, newLabel: string): string | null {
  const c = report.context;
  const missing = [
    ...(c.baseRecorded ? [] : [`base ${quote(baseLabel)}`]),
    ...(c.newRecorded ? [] : [`new ${quote(newLabel)}`]),
  ];
  if (missing.length > 0) {
    return `context unknown: ${missing.join(' and ')} ${missing.length === 1 ? 'records' : 'record'} no machine or build (written before faultscale recorded them)`;
  }
  if (c.differences.length === 0) return null;
  const parts = c.differences.map((d) => `${d.column} ${show(d, d.base)} → ${show(d, d.next)}`);
  return `context differs: ${parts.join('; ')}: a change may come from the machine or the build, not the configuration`;
}
