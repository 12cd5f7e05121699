/**
 * Rows: the results of a sweep as data. Owns the typed Row and its CSV
 * columns with their documentation (rows.ts), the one rule that turns a cell
 * into a number (cell.ts), what identifies a row and the per-run sidecar
 * (runs.ts), RFC 4180 text through csv-parse/csv-stringify (codec.ts), the
 * one reader (read.ts) and the one writer (write.ts, write-atomic.ts) of
 * results files.
 *
 * May import: the model's names and types. Not the harness, analysis or output.
 */
export { COLUMNS, ROW_STATUSES, okRows, type ColumnName, type Row, type RowStatus } from './rows.js';
export { cellNumber } from './cell.js';
export { KEY_COLUMNS, RUNS_COLUMNS, rowKey, runRecord, sidecarPath, type RunRecord } from './runs.js';
export {
  loadResultSet,
  parseResultsCsv,
  parseRunsCsv,
  readResultsFile,
  ResultsFileError,
  type ResultSet,
} from './read.js';
export { resultsCsv, runsCsv, writeResultFiles } from './write.js';
