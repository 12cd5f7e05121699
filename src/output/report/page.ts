/**
 * The HTML page: per group its numbers, fits and trade-off as tables, then its
 * charts; the configurations not measured; the context; inline CSS, nothing
 * loaded from anywhere.
 */
import type { TopLevelSpec } from 'vega-lite';

import { okRows, type Row } from '../../rows/rows.js';
import { contextTable } from './context-table.js';
import { groupRows, num, seriesOf, str, uniq, type Group, type Series } from './data.js';
import { efficiencySpec } from './efficiency.js';
import { tradeoffTable, uslTable, type RunsByKey } from './fit-tables.js';
import { escapeHtml } from './html.js';
import { lockSharesSpec, perFaultSpec } from './locks.js';
import { numbersTable } from './numbers-table.js';
import { stalenessSpec } from './staleness.js';
import { statusTable } from './status-table.js';
import { FONT, coresRuleDrawn } from './style.js';
import { toSvg } from './svg.js';
import { throughputSpec } from './throughput.js';
import { waitSharesSpec } from './wait-shares.js';

export interface ReportOptions {
  /** Page title; default "faultscale report". */
  readonly title?: string;
  /** Where the rows came from, shown in the context table. */
  readonly source?: string;
  /** The CSV's address relative to the report, for a link to it. */
  readonly csvHref?: string;
  /** Per-run faults/s by row key, for the USL fits' bootstrap intervals. */
  readonly runs?: RunsByKey;
}

function figure(id: string, title: string, note: string, svg: string): string {
  return (
    `<figure class="chart" data-chart="${escapeHtml(id)}">` +
    `<figcaption><h3>${escapeHtml(title)}</h3>${note === '' ? '' : `<p>${note}</p>`}</figcaption>` +
    `<div class="svg">${svg}</div></figure>`
  );
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
header a { color: #1f5fa8; }
.tables { margin-top: 14px; display: flex; flex-direction: column; gap: 14px; }
table.data { border-collapse: collapse; background: #fff; border: 1px solid #ddd; font-size: 13px; }
table.data caption { text-align: left; font-weight: bold; font-size: 14px; padding: 0 0 4px; }
table.data caption .note { font-weight: normal; color: #555; font-size: 12px; }
table.data th, table.data td { padding: 3px 10px; border-top: 1px solid #eee; text-align: left; white-space: nowrap; }
table.data th { background: #f0f0ee; font-weight: 600; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td[title] { text-decoration: underline dotted #bbb; }
table[data-table="not-measured"] td, table[data-table^="usl-"] td:last-child { white-space: normal; min-width: 16em; }
.tables { overflow-x: auto; }
p.refused { margin: 4px 0 0; color: #555; font-size: 12px; }
p.zero { margin: 16px 0; color: #333; }
`;

/**
 * The machine's core count for the host-cores rule: none for a simulated
 * machine (a row naming its hardware), whose CPUs are not this machine's.
 */
function hostCores(g: Group): number | null {
  if (g.rows.some((r) => str(r, 'hardware') !== '')) return null;
  const cores = uniq(g.rows.map((r) => str(r, 'cores')).filter((v) => v !== ''));
  return cores.length === 1 ? Number(cores[0]) : null;
}

async function charts(g: Group, series: readonly Series[], labels: readonly string[]): Promise<string[]> {
  const cores = hostCores(g);
  const figs: string[] = [];
  const hasCi = g.rows.some((r) => num(r, 'faults_per_sec_ci95_low') !== null);
  const threads = uniq(g.rows.map((r) => str(r, 'threads'))).map(Number);
  const rule = coresRuleDrawn(cores, threads)
    ? ' The dotted rule marks this machine’s cores: threads beyond it share cores.'
    : '';
  figs.push(
    figure(
      `throughput-${g.slug}`,
      'Throughput',
      `Mean write faults per second over runs${hasCi ? ', with 95% confidence intervals' : ''}; ` +
        `dashed: each strategy’s 1-thread rate × threads (linear scaling); dotted: the USL fit.${rule}`,
      await toSvg(throughputSpec(series, labels, cores)),
    ),
  );
  const st = stalenessSpec(series, labels);
  const omitted = st === null || st.omitted.length === 0 ? '' : ` Not shown: ${escapeHtml(st.omitted.join('; '))}.`;
  // The figures after throughput, in page order; one whose spec is null is left out, a text is shown as text.
  const rest: [string, string, string, TopLevelSpec | string | null][] = [
    [
      'efficiency',
      'Scaling efficiency',
      'Speedup over the same strategy at 1 thread, divided by threads; the dashed rule is linear scaling.',
      efficiencySpec(series, labels, cores),
    ],
    [
      'staleness',
      'Staleness against throughput',
      `Longest time from a sampled store to the poll that noticed it, in kernel seconds, at the highest thread count; lower and further right is better.${omitted}`,
      st?.spec ?? null,
    ],
    [
      'locks',
      'Lock contention',
      'At the highest thread count: the share of lock acquisitions that found the lock taken, for the journal’s hot lock and for all locks.',
      lockSharesSpec(series, labels),
    ],
    [
      'perfault',
      'Journal and lock work per fault',
      'At the highest thread count: journal transactions started and sleeps in any lock, per write fault.',
      perFaultSpec(series, labels),
    ],
    [
      'waits',
      'Where the time goes',
      'Virtual target: share of all CPU time spent waiting for cache-line transfers and for each lock class, stacked, against threads.',
      waitSharesSpec(series, labels),
    ],
  ];
  for (const [kind, title, note, spec] of rest) {
    if (spec === null) continue;
    const body = typeof spec === 'string' ? `<p class="zero">${escapeHtml(spec)}.</p>` : await toSvg(spec);
    figs.push(figure(`${kind}-${g.slug}`, title, note, body));
  }
  return figs;
}

async function groupSection(
  g: Group,
  series: readonly Series[],
  labels: readonly string[],
  runs: RunsByKey | undefined,
): Promise<string> {
  const tables = [numbersTable(g.slug, series), uslTable(g.slug, g.rows, runs), tradeoffTable(g.slug, g.rows)].filter(
    (t) => t !== '',
  );
  const heading = `<h2>${escapeHtml(g.workload)} · ${escapeHtml(g.journal)} <span class="dim">(${escapeHtml(g.target)})</span></h2>`;
  return (
    `<section class="group" data-group="${escapeHtml(g.slug)}">${heading}` +
    `<div class="grid">${(await charts(g, series, labels)).join('')}</div><div class="tables">${tables.join('')}</div></section>`
  );
}

/**
 * Renders the report for result rows (as the reader gives them, or as a
 * sweep just measured them): measured (`ok`) rows are drawn and tabulated,
 * and there must be at least one; failed and interrupted rows are listed.
 */
export async function renderReport(all: readonly Row[], opts: ReportOptions = {}): Promise<string> {
  const rows: readonly Row[] = okRows(all);
  if (rows.length === 0) throw new Error('renderReport: no measured rows to report');
  const groups = groupRows(rows);
  const seriesByGroup = groups.map((g) => ({ g, series: seriesOf(g) }));
  // One colour per series label across the whole report.
  const labels = uniq(seriesByGroup.flatMap(({ series }) => series.map((s) => s.label)));
  const sections: string[] = [];
  for (const { g, series } of seriesByGroup) sections.push(await groupSection(g, series, labels, opts.runs));

  const title = opts.title ?? 'faultscale report';
  const notMeasured = all.length - rows.length;
  const subtitle = [
    opts.csvHref
      ? `<a href="${escapeHtml(opts.csvHref)}">${escapeHtml(opts.source ?? opts.csvHref)}</a> (CSV)`
      : opts.source
        ? escapeHtml(opts.source)
        : '',
    `${rows.length} measured rows${notMeasured > 0 ? `, <a href="#not-measured">${notMeasured} not measured</a>` : ''}`,
    `${groups.length} workload/journal group${groups.length === 1 ? '' : 's'}`,
    `${labels.length} series`,
  ]
    .filter((x) => x !== '')
    .join(' · ');
  const status = statusTable(all);
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1><p>${subtitle}</p></header>` +
    sections.join('\n') +
    '\n' +
    (status === '' ? '' : `<section id="not-measured" class="tables">${status}</section>`) +
    contextTable(all, opts.source) +
    '<footer>Charts rendered with Vega-Lite to static SVG; hover a mark or a number for its exact value. This file loads nothing.</footer>' +
    '</body></html>\n'
  );
}
