/**
 * A comparison as JSON, for scripts and CI: the method and noise threshold,
 * each file's context, how the contexts differ, and every compared row with
 * its key as an object; numbers that are not finite become null.
 */
import type { CompareReport, Comparison } from '../../analysis/compare.js';
import { COMPARED_CONTEXT } from '../../analysis/context-diff.js';
import type { ResultSet } from '../../rows/read.js';
import type { Row } from '../../rows/rows.js';
import { KEY_COLUMNS } from '../../rows/runs.js';

const num = (x: number | undefined | null): number | null =>
  x !== undefined && x !== null && Number.isFinite(x) ? x : null;
const cell = (v: string | number): string | number | null => (typeof v === 'number' ? num(v) : v === '' ? null : v);

const keyOf = (r: Row): Record<string, string | number | null> =>
  Object.fromEntries(KEY_COLUMNS.map((k) => [k, cell(r[k])]));

/** A file's context: each compared column's values over its rows (one, unless rows came from several machines). */
function contextOf(set: ResultSet): Record<string, (string | number | null)[]> {
  return Object.fromEntries(COMPARED_CONTEXT.map((c) => [c, [...new Set(set.rows.map((r) => r[c]))].map(cell)]));
}

function comparison(c: Comparison) {
  return {
    key: keyOf(c.row),
    base_mean: num(c.baseMean),
    new_mean: num(c.newMean),
    change_pct: num(c.changePct),
    base_sd: num(c.base?.sd),
    new_sd: num(c.next?.sd),
    p: num(c.p),
    ranges: c.ranges === null ? null : c.ranges.separated ? 'apart' : 'overlap',
    spread: c.source,
    verdict: c.verdict,
  };
}

export function formatCompareJson(report: CompareReport, base: ResultSet, next: ResultSet): string {
  const json = {
    base: { file: base.label, context: contextOf(base) },
    new: { file: next.label, context: contextOf(next) },
    method: report.method,
    alpha: report.alpha,
    noise_pct: report.noise.pct,
    noise_source: report.noise.source,
    context_differences: report.context.differences.map((d) => ({ column: d.column, base: d.base, new: d.next })),
    compared: report.compared.map(comparison),
    geomean: report.geomean && {
      base: num(report.geomean.base),
      new: num(report.geomean.next),
      change_pct: num(report.geomean.changePct),
      rows: report.geomean.pairs,
    },
    only_base: report.onlyBase.map(keyOf),
    only_new: report.onlyNew.map(keyOf),
  };
  return JSON.stringify(json, null, 2);
}
