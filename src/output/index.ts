/**
 * Output: what a person reads. Owns terminal tables (table.ts), the
 * terminal chart (termchart.ts), the USL table (usl-table.ts), the comparison
 * report (compare-table.ts) and the HTML report (report/: its data, one file
 * per chart spec, SVG rendering and the page).
 *
 * May import: rows, analysis, the model's names. Not the harness or commands.
 */
export { formatTable } from './table.js';
export { terminalChart } from './termchart.js';
export { formatUslTable } from './usl-table.js';
export { renderReport } from './report/index.js';
