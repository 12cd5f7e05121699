/**
 * Turns result rows into one self-contained HTML report: inline CSS and
 * inline SVG only (no script, no external URL), so it opens anywhere, offline.
 *
 * The charts are Vega-Lite specs rendered to SVG here in Node (vega's
 * headless `renderer: 'none'` view, then `toSVG()`); each sits in an element
 * with `data-chart="<kind>-<group>"`, and every mark carries an `aria-label`
 * that starts with the series (strategy) it belongs to.
 *
 * Per (target, workload, journal) group:
 *  - throughput-*: faults/s against threads per strategy, 95% CI error bars
 *    when the CSV has them, each strategy's `linear` line dashed;
 *  - efficiency-*: speedup / threads against threads;
 *  - staleness-*: max staleness (kernel s) against faults/s at the group's
 *    highest thread count, when any staleness was measured there;
 *  - locks-*: lock-contention figures per strategy at that thread count.
 * Then a table of the run parameters and the machine.
 */
export { renderReport, type ReportOptions } from './page.js';
