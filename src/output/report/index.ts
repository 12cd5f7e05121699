/**
 * Turns result rows into one self-contained HTML report: inline CSS and
 * inline SVG only (no script, no external URL), so it opens anywhere, offline.
 *
 * The charts are Vega-Lite specs rendered to SVG here in Node (vega's
 * headless `renderer: 'none'` view, then `toSVG()`); each sits in an element
 * with `data-chart="<kind>-<group>"`, and every mark carries an `aria-label`
 * that starts with the series (strategy) it belongs to.
 *
 * Per (target, workload, journal) group, charts (throughput-*, efficiency-*,
 * staleness-*, locks-*, perfault-*, waits-*: one unit per axis, thread counts
 * on a log2 axis when they double) and tables (numbers-*, usl-*, tradeoff-*,
 * each `data-table`); then the rows not measured (not-measured) and the
 * context (context). Every data mark has a <title> with its exact values.
 */
export { renderReport, type ReportOptions } from './page.js';
export { csvHref } from './link.js';
