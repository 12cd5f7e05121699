/** The HTML page: one section of figures per group, the parameters table, inline CSS; nothing loaded from anywhere. */
import { okRows, type ColumnName, type Row } from '../../rows/rows.js';
import { groupRows, num, seriesOf, str, uniq, type Rec } from './data.js';
import { efficiencySpec } from './efficiency.js';
import { locksSpec } from './locks.js';
import { stalenessSpec } from './staleness.js';
import { FONT } from './style.js';
import { toSvg } from './svg.js';
import { throughputSpec } from './throughput.js';
import { waitSharesSpec } from './wait-shares.js';

export interface ReportOptions {
  /** Page title; default "faultscale report". */
  readonly title?: string;
  /** Where the rows came from, shown in the parameters table. */
  readonly source?: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function figure(id: string, title: string, note: string, svg: string): string {
  return (
    `<figure class="chart" data-chart="${escapeHtml(id)}">` +
    `<figcaption><h3>${escapeHtml(title)}</h3>${note === '' ? '' : `<p>${note}</p>`}</figcaption>` +
    `<div class="svg">${svg}</div></figure>`
  );
}

function parametersTable(rows: readonly Rec[], source: string | undefined): string {
  const distinct = (c: ColumnName): string => {
    const vs = uniq(rows.map((r) => str(r, c)).filter((v) => v !== ''));
    return vs.length === 0 ? '—' : vs.join(', ');
  };
  const stamps = rows.map((r) => str(r, 'timestamp')).filter((v) => v !== '').sort();
  const range =
    stamps.length === 0 ? '—' : stamps[0] === stamps.at(-1) ? stamps[0]! : `${stamps[0]} to ${stamps.at(-1)}`;
  const threads = uniq(rows.map((r) => str(r, 'threads')))
    .map(Number)
    .sort((a, b) => a - b)
    .join(', ');
  const entries: [string, string][] = [
    ['profile', distinct('profile')],
    ['lock', distinct('lock')],
    ['time scale (model s per kernel s)', distinct('time_scale')],
    ['tick (model ms)', distinct('tick_ms')],
    ['measured window (s)', distinct('duration_sec')],
    ['warm-up (s)', distinct('warmup_sec')],
    ['runs per row', distinct('runs')],
    ['observer interval (ms)', distinct('observer_interval_ms')],
    ['writer threads', threads],
    ['cores', distinct('cores')],
    ['node', distinct('node_version')],
    ['harness version', distinct('harness_version')],
    ['measured', range],
    ['rows', String(rows.length)],
    ['source file', source === undefined || source === '' ? '—' : source],
  ];
  const body = entries.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  return `<table class="params" id="parameters"><caption>Run parameters and machine</caption><tbody>${body}</tbody></table>`;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 40px; font: 14px/1.45 ${FONT}; color: #222; background: #f6f6f4; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #555; }
section.group { margin-top: 26px; }
section.group > h2 { margin: 0 0 10px; font-size: 17px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
section.group > h2 .dim { color: #777; font-weight: normal; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(590px, 1fr)); gap: 14px; }
figure.chart { margin: 0; padding: 10px 12px 8px; background: #fff; border: 1px solid #ddd; border-radius: 4px; min-width: 0; }
figcaption h3 { margin: 0; font-size: 14px; }
figcaption p { margin: 2px 0 4px; color: #555; font-size: 12px; }
.svg { overflow-x: auto; }
.svg svg { display: block; max-width: 100%; height: auto; }
table.params { margin-top: 28px; border-collapse: collapse; background: #fff; border: 1px solid #ddd; }
table.params caption { text-align: left; font-weight: bold; font-size: 15px; padding: 0 0 6px; }
table.params th, table.params td { text-align: left; padding: 4px 12px; border-top: 1px solid #eee; vertical-align: top; }
table.params th { font-weight: normal; color: #555; white-space: nowrap; }
table.params td { font-family: DejaVu Sans Mono, Liberation Mono, monospace; font-size: 13px; word-break: break-all; }
footer { margin-top: 18px; color: #777; font-size: 12px; }
`;

/**
 * Renders the report for result rows (as the reader gives them, or as a
 * sweep just measured them); only measured (`ok`) rows are drawn, and there
 * must be at least one.
 */
export async function renderReport(all: readonly Row[], opts: ReportOptions = {}): Promise<string> {
  const rows: readonly Rec[] = okRows(all);
  if (rows.length === 0) throw new Error('renderReport: no measured rows to report');
  const groups = groupRows(rows);
  const seriesByGroup = groups.map((g) => ({ g, series: seriesOf(g) }));
  // One colour per series label across the whole report.
  const labels = uniq(seriesByGroup.flatMap(({ series }) => series.map((s) => s.label)));
  const coresVals = uniq(rows.map((r) => str(r, 'cores')).filter((v) => v !== ''));
  const cores = coresVals.length === 1 ? num(rows[0]!, 'cores') : null;

  const sections: string[] = [];
  for (const { g, series } of seriesByGroup) {
    const figs: string[] = [];
    const hasCi = g.rows.some((r) => num(r, 'faults_per_sec_ci95_low') !== null);
    figs.push(
      figure(
        `throughput-${g.slug}`,
        'Throughput',
        `Mean write faults per second over runs${hasCi ? ', with 95% confidence intervals' : ''}; ` +
          'dashed: each strategy’s 1-thread rate × threads (linear scaling).',
        await toSvg(throughputSpec(series, labels, cores)),
      ),
    );
    const eff = efficiencySpec(series, labels, cores);
    if (eff) {
      figs.push(
        figure(
          `efficiency-${g.slug}`,
          'Scaling efficiency',
          'Speedup over the same strategy at 1 thread, divided by threads; the dashed rule is linear scaling.',
          await toSvg(eff),
        ),
      );
    }
    const st = stalenessSpec(series, labels);
    if (st) {
      const omitted =
        st.omitted.length === 0 ? '' : ` Not shown: ${escapeHtml(st.omitted.join('; '))}.`;
      figs.push(
        figure(
          `staleness-${g.slug}`,
          'Staleness against throughput',
          `Longest time from a sampled store to the poll that noticed it, in kernel seconds, at the highest thread count; lower and further right is better.${omitted}`,
          await toSvg(st.spec),
        ),
      );
    }
    const locks = locksSpec(series, labels);
    if (locks) {
      figs.push(
        figure(
          `locks-${g.slug}`,
          'Lock contention',
          'At the highest thread count: shares of lock acquisitions that found the lock taken, journal transactions per fault, and sleeps in any lock per fault.',
          await toSvg(locks),
        ),
      );
    }
    const waits = waitSharesSpec(series, labels);
    if (waits) {
      figs.push(
        figure(
          `waits-${g.slug}`,
          'Where the time goes',
          'Virtual target: share of all CPU time spent waiting for cache-line transfers and for each lock class, stacked, against threads.',
          await toSvg(waits),
        ),
      );
    }
    sections.push(
      `<section class="group" data-group="${escapeHtml(g.slug)}"><h2>${escapeHtml(g.workload)} · ${escapeHtml(g.journal)} ` +
        `<span class="dim">(${escapeHtml(g.target)})</span></h2><div class="grid">${figs.join('')}</div></section>`,
    );
  }

  const title = opts.title ?? 'faultscale report';
  const subtitle = [
    opts.source ? escapeHtml(opts.source) : '',
    `${rows.length} rows`,
    `${groups.length} workload/journal group${groups.length === 1 ? '' : 's'}`,
    `${labels.length} series`,
  ]
    .filter((x) => x !== '')
    .join(' · ');
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1><p>${subtitle}</p></header>` +
    sections.join('\n') +
    '\n' +
    parametersTable(rows, opts.source) +
    '<footer>Charts rendered with Vega-Lite to static SVG; this file loads nothing.</footer>' +
    '</body></html>\n'
  );
}
