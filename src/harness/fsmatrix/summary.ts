/** bench:fs's closing table: one line per combination, with its outcome. */
import { fmtRate } from '../../output/format.js';
import { textTable } from '../../output/text-table.js';
import type { ComboResult, ComboStatus } from './outcome.js';

/** faults/s per combination (rows) and thread count (columns), then each combination's status and reason. */
export function formatSummary(results: readonly ComboResult[]): string[] {
  const out: string[] = [];
  const withRows = results.filter((r) => r.rows.length > 0);
  if (withRows.length > 0) {
    const threads = [...new Set(withRows.flatMap((r) => r.rows.map((x) => Number(x.threads))))].sort((a, b) => a - b);
    const workloads = [...new Set(withRows.flatMap((r) => r.rows.map((x) => x.workload ?? '')))];
    const header = [
      'fs',
      'mount options',
      ...(workloads.length > 1 ? ['workload'] : []),
      ...threads.map((t) => `${t} thread${t === 1 ? '' : 's'}`),
    ];
    const body: string[][] = [];
    for (const r of withRows) {
      for (const w of workloads) {
        const mine = r.rows.filter((x) => (x.workload ?? '') === w);
        if (mine.length === 0) continue;
        body.push([
          r.combo.fs,
          r.combo.mountOptions,
          ...(workloads.length > 1 ? [w] : []),
          ...threads.map((t) => {
            const x = mine.find((row) => Number(row.threads) === t);
            if (!x) return '';
            const ci = Number(x.ci95_halfwidth_share);
            const runs = Number(x.runs);
            return `${fmtRate(Number(x.faults_per_sec_mean))}${runs > 1 && Number.isFinite(ci) ? ` ±${(ci * 100).toFixed(1)}%` : ''}`;
          }),
        ]);
      }
    }
    out.push('', 'faults/s (mean ± 95% CI half-width), kernel target, per file system and mount option set:');
    out.push(...alignTable(header, body, 2));
  }
  out.push('', 'combinations:');
  out.push(
    ...alignTable(
      ['fs', 'mount options', 'status', 'rows', 'note'],
      results.map((r) => [r.combo.fs, r.combo.mountOptions, r.status, String(r.rows.length), r.reason ?? '']),
      99,
    ),
  );
  const count = (s: ComboStatus): number => results.filter((r) => r.status === s).length;
  const extra = (['interrupted', 'not-run'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `, ${count(s)} ${s}`)
    .join('');
  out.push(`${count('ran')} ran, ${count('failed')} failed, ${count('skipped')} skipped${extra}`);
  return out;
}

/** Columns before `firstRight` left-aligned, the rest right-aligned. */
function alignTable(header: string[], body: string[][], firstRight: number): string[] {
  return textTable(header, body, (i) => (i < firstRight ? 'left' : 'right'));
}
