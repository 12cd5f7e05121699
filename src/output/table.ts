/** The summary printed after a sweep: strategy × threads, faults/s ± 95% CI and efficiency. */
import type { Row } from '../rows/rows.js';
import { fmtRate } from './format.js';
import { textTable } from './text-table.js';

function cell(r: Row): string {
  // A configuration that did not finish says so where its figures would be.
  if (r.status !== 'ok') return r.status;
  const ci = Number(r.ci95_halfwidth_share);
  const eff = Number(r.efficiency);
  const ciText = Number.isFinite(ci) && Number(r.runs) > 1 ? ` ±${(ci * 100).toFixed(1)}%` : '';
  const effText = Number.isFinite(eff) ? ` e=${eff.toFixed(2)}` : '';
  return `${fmtRate(Number(r.faults_per_sec_mean))}${ciText}${effText}`;
}

export function formatTable(rows: readonly Row[]): string {
  const out: string[] = [];
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    // A row measured on a real kernel names the filesystem it ran on.
    const key =
      r.fs_type !== ''
        ? `${r.workload}, ${r.target} target (writers as ${r.mode}) on ${r.fs_type} (${r.mount_options}), kernel ${r.kernel_version}`
        : `${r.workload}, journal ${r.journal} (lock ${r.lock}), profile ${r.profile}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, group] of groups) {
    const threads = [...new Set(group.map((r) => Number(r.threads)))].sort((a, b) => a - b);
    // A row from a filesystem preset is named by it: two presets may share a strategy.
    const nameOf = (r: Row): string => (r.preset !== '' ? `${r.preset}: ${r.strategy}` : String(r.strategy));
    const strategies = [...new Set(group.map(nameOf))];
    const header = ['strategy', ...threads.map((t) => `${t} thread${t === 1 ? '' : 's'}`)];
    const body = strategies.map((s) => [
      s,
      ...threads.map((t) => {
        const r = group.find((x) => nameOf(x) === s && Number(x.threads) === t);
        return r ? cell(r) : '';
      }),
    ]);
    out.push('', `faults/s (± 95% CI of the mean, e = efficiency vs 1 thread): ${key}`, ...textTable(header, body));
  }
  return out.join('\n');
}
