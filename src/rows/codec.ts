/**
 * RFC 4180 text, through csv-parse and csv-stringify (their sync APIs): fields
 * with a comma, a quote or a line break are quoted, quotes doubled, records
 * end with CRLF. A number that is not finite and null/undefined are written as
 * an empty field, so a numeric column holds only numbers or nothing.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean | null | undefined;

const STRINGIFY = {
  record_delimiter: 'windows',
  // A lone LF or CR in a field must be quoted too, not only the CRLF record delimiter.
  quoted_match: /[\r\n]/,
  cast: {
    number: (v: number): string => (Number.isFinite(v) ? String(v) : ''),
    boolean: (v: boolean): string => (v ? 'true' : 'false'),
  },
} as const;

/** One record, CRLF-terminated. */
export function csvLine(fields: readonly CsvValue[]): string {
  return csvText([fields]);
}

/** Records, each CRLF-terminated. */
export function csvText(records: readonly (readonly CsvValue[])[]): string {
  if (records.length === 0) return '';
  // csv-stringify writes null/undefined as empty already; numbers and booleans go through `cast`.
  return stringify(
    records.map((r) => [...r]),
    STRINGIFY,
  );
}

/** One record of parsed text with the line it ends on (1-based). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/**
 * Parses RFC 4180 text: CRLF, LF or CR line ends, a leading BOM dropped, blank
 * lines skipped, records of any length (the caller checks them against the
 * header). Throws csv-parse's error on a malformed quote.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const out = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  return out.map((r) => ({ fields: r.record, line: r.info.lines }));
}

/** The records' fields only. */
export const parseCsv = (text: string): string[][] => parseCsvRecords(text).map((r) => r.fields);
