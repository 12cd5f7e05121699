/**
 * A sweep as Markdown, to paste into an issue or a pull request: the context
 * it ran in, one table row per configuration (faults/s with its 95% CI,
 * efficiency, staleness), and the configurations that were not measured.
 */
import type { Row } from '../rows/rows.js';
import { fmtRate } from './format.js';

const md = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
const num = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

/** The context block: what every row of the sweep shares (the first row's, which the rest repeat). */
function contextLines(r: Row): string[] {
  const machine = r.hardware !== '' ? `${r.hardware} (${r.topology}), simulated on ${r.host}` : r.host;
  const pairs: [string, string][] = [
    ['target', `${r.target}${r.hardware !== '' ? ` on ${machine}` : ` on ${r.host}`}`],
    ['CPU', `${r.cpu_model || '-'}: ${num(r.cpu_cores, 0)} cores, ${num(r.cpu_threads, 0)} threads`],
    ['kernel', r.kernel_version || '-'],
    ['Node', r.node_version || '-'],
    ['build', r.harness_version || '-'],
    ['command', r.command_line ? `\`${r.command_line.replace(/`/g, "'")}\`` : '-'],
    ['started', `${r.started_at || '-'} (load average ${num(r.load_avg_1m, 2)})`],
    ['profile, HZ, seed', `${r.profile}, ${Number.isFinite(r.hz) ? r.hz : '-'}, ${num(r.seed, 0)}`],
  ];
  return ['| | |', '| --- | --- |', ...pairs.map(([k, v]) => `| ${k} | ${md(v)} |`)];
}

const configuration = (r: Row): string =>
  [r.workload, r.journal, r.preset !== '' ? `${r.preset}: ${r.strategy}` : r.strategy].join(' / ');

export function sweepMarkdown(rows: readonly Row[]): string {
  const first = rows[0];
  if (first === undefined) return '# faultscale sweep\n\nNo configuration ran.\n';
  const out = ['# faultscale sweep', '', ...contextLines(first), ''];
  const ok = rows.filter((r) => r.status === 'ok');
  out.push(
    '| configuration | lock | threads | faults/s | ±95% CI | efficiency | max staleness (kernel s) | unnoticed stores/run |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const r of ok) {
    const ci =
      Number.isFinite(r.ci95_halfwidth_share) && r.runs > 1 ? `±${(r.ci95_halfwidth_share * 100).toFixed(1)}%` : '-';
    out.push(
      `| ${md(configuration(r))} | ${md(r.lock)} | ${r.threads} | ${fmtRate(r.faults_per_sec_mean)} | ${ci} | ${num(r.efficiency, 2)} | ` +
        `${num(r.staleness_max_sec, 3)} | ${num(r.unnoticed_stores, 0)} |`,
    );
  }
  const failed = rows.filter((r) => r.status !== 'ok');
  if (failed.length > 0) {
    out.push('', `Not measured (${failed.length}):`, '');
    for (const r of failed) out.push(`- ${md(configuration(r))}, ${r.threads} threads: ${r.status}: ${md(r.error)}`);
  }
  out.push('');
  return out.join('\n');
}
