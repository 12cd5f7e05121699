/**
 * Rows: the results of a sweep as data. Owns the typed Row, the CSV columns
 * with their documentation, and reading and writing results files.
 *
 * May import: the model's names and types. Not the harness, analysis or output.
 */
export { COLUMNS, type ColumnName, type Row } from './rows.js';
