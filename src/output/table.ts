/** The summary printed after a sweep: strategy × threads, faults/s ± 95% CI and efficiency. */
import type { Row } from '../rows/rows.js';

export function fmtRate(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

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
    const strategies = [...new Set(group.map((r) => String(r.strategy)))];
    const header = ['strategy', ...threads.map((t) => `${t} thread${t === 1 ? '' : 's'}`)];
    const body = strategies.map((s) => [
      s,
      ...threads.map((t) => {
        const r = group.find((x) => x.strategy === s && Number(x.threads) === t);
        return r ? cell(r) : '';
      }),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    out.push('', `faults/s (± 95% CI of the mean, e = efficiency vs 1 thread): ${key}`, line(header), line(widths.map((w) => '-'.repeat(w))));
    for (const b of body) out.push(line(b));
  }
  return out.join('\n');
}
