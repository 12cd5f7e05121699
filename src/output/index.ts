/**
 * Output: what a person reads. Owns the number formats (format.ts), the one
 * text-table renderer every terminal table uses (text-table.ts), the summary
 * table (table.ts), the terminal chart (termchart.ts), the USL table
 * (usl-table.ts), the trade-off table (tradeoff-table.ts), the comparison
 * report (compare-table.ts), the scenario verdict tables (verdicts.ts), where
 * the time goes (wait-shares.ts) and the HTML report (report/: its data, one
 * file per chart spec, SVG rendering and the page).
 *
 * May import: rows, analysis, the model's names. Not the harness or commands.
 */
export { fmtRate } from './format.js';
export { textTable } from './text-table.js';
export { formatTable } from './table.js';
export { terminalChart } from './termchart.js';
export { formatUslTable } from './usl-table.js';
export { renderReport } from './report/index.js';
export { formatWaitShares } from './wait-shares.js';
