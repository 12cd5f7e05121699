/**
 * The one reader of results files. A results CSV becomes typed rows: text
 * columns as written, numeric columns by the one cell rule (`cell.ts`: empty
 * is NaN), after checking that it is one: the header names the key and
 * summary columns, every record has the header's length, every numeric cell
 * is empty or a number, `status` is ok, failed or interrupted (absent or
 * blank: ok, as in files from before that column), each row's key is unique, and a
 * measured row has its threads, runs and mean. Columns the file lacks read as
 * empty; columns it adds are ignored. Every problem is one line naming the
 * file, the line and the cell (ResultsFileError).
 */
import fs from 'node:fs';

import { cellNumber, isDecimal } from './cell.js';
import { parseCsvRecords, type CsvRecord } from './codec.js';
import { quote } from './quote.js';
import { COLUMNS, ROW_STATUSES, isTextColumn, type Row, type RowStatus } from './rows.js';
import {
  KEY_COLUMNS,
  LEGACY_KEY_COLUMNS,
  REQUIRED_RUNS_COLUMNS,
  RUNS_COLUMNS,
  keyText,
  rowKey,
  runsByKey,
  sidecarPath,
  type RunRecord,
} from './runs.js';

/** A results file that cannot be read or is not one. The commands answer it like bad input: one line, exit status 2. */
export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
  constructor(message: string) {
    super(message.replace(/[\r\n\u2028\u2029]+/g, ' '));
  }
}

/** Columns a results CSV must have (key columns added since read as empty from older files). */
export const REQUIRED_COLUMNS = [
  ...LEGACY_KEY_COLUMNS,
  'runs',
  'faults_per_sec_mean',
  'faults_per_sec_ci95_low',
  'faults_per_sec_ci95_high',
] as const;

interface NumberRule {
  readonly optional?: boolean;
  readonly integer?: boolean;
  readonly min?: number;
}

function checkNumber(raw: string, col: string, where: string, rule: NumberRule): void {
  if (raw.trim() === '' && rule.optional) return;
  const v = cellNumber(raw);
  const ok =
    isDecimal(raw) &&
    Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.min === undefined || v >= rule.min);
  if (!ok) {
    const want = rule.integer
      ? `an integer of at least ${rule.min ?? 0}`
      : rule.min !== undefined
        ? `a number of at least ${rule.min}`
        : 'a number';
    throw new ResultsFileError(`${where}: ${col} ${quote(raw)} is not ${want}`);
  }
}

interface Table {
  readonly header: readonly string[];
  /** Each record as column → raw text, with the line it ends on. */
  readonly records: { readonly cells: ReadonlyMap<string, string>; readonly line: number }[];
}

/** Parses CSV text and checks its header and record lengths; `what` names the file, `kind` what it should be. */
function parseTable(text: string, what: string, required: readonly string[], kind: string): Table {
  let parsed: CsvRecord[];
  try {
    parsed = parseCsvRecords(text);
  } catch (e) {
    throw new ResultsFileError(`${what}: not a well-formed CSV (${e instanceof Error ? e.message : String(e)})`);
  }
  const first = parsed[0];
  if (first === undefined) throw new ResultsFileError(`${what}: empty file; expected a ${kind} with a header line`);
  const header = first.fields;
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new ResultsFileError(
      `${what}: not a ${kind}: header lacks ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}` +
        ` (it starts ${quote(header.slice(0, 3).join(','))})`,
    );
  }
  const records = parsed.slice(1).map((rec) => {
    if (rec.fields.length !== header.length) {
      throw new ResultsFileError(
        `${what} line ${rec.line}: ${rec.fields.length} fields, but the header has ${header.length}`,
      );
    }
    return { cells: new Map(header.map((h, j) => [h, rec.fields[j]!] as const)), line: rec.line };
  });
  return { header, records };
}

/** Parses a results CSV's text into rows (`what` names it in messages, e.g. `base file 'x.csv'`). */
export function parseResultsCsv(text: string, what: string): Row[] {
  const { records } = parseTable(text, what, REQUIRED_COLUMNS, 'faultscale results CSV');
  // Every record faultscale writes ends with CRLF: text that stops mid-line was cut short (a copy, a full disk).
  if (!/[\r\n]$/.test(text)) throw new ResultsFileError(`${what}: truncated: its last line has no line ending`);
  const seen = new Map<string, number>();
  return records.map(({ cells, line }) => {
    const where = `${what} line ${line}`;
    const raw = (col: string): string => cells.get(col) ?? '';
    // A file from before the status column (or a blank cell) is a file of measured rows.
    const status = (raw('status').trim() || 'ok') as RowStatus;
    if (!ROW_STATUSES.includes(status)) {
      throw new ResultsFileError(`${where}: status ${quote(raw('status'))} is not one of ${ROW_STATUSES.join(', ')}`);
    }
    const measured = status === 'ok';
    checkNumber(raw('threads'), 'threads', where, { integer: true, min: 1 });
    checkNumber(
      raw('runs'),
      'runs',
      where,
      measured ? { integer: true, min: 1 } : { optional: true, integer: true, min: 0 },
    );
    checkNumber(raw('faults_per_sec_mean'), 'faults_per_sec_mean', where, { optional: !measured, min: 0 });
    const row: Record<string, string | number> = {};
    for (const [name] of COLUMNS) {
      const v = raw(name);
      if (isTextColumn(name)) {
        row[name] = v;
      } else {
        checkNumber(v, name, where, { optional: true });
        row[name] = cellNumber(v);
      }
    }
    row.status = status;
    const key = rowKey(row as Row);
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new ResultsFileError(`${where}: same key as line ${earlier} (${keyText(row as Row, KEY_COLUMNS)})`);
    seen.set(key, line);
    return row as Row;
  });
}

/** The measured rows of a file that must have some (a report needs something to draw). */
export function measuredRows(rows: readonly Row[], what: string): Row[] {
  const ok = rows.filter((r) => r.status === 'ok');
  if (rows.length === 0) throw new ResultsFileError(`${what}: has a header but no result rows`);
  if (ok.length === 0)
    throw new ResultsFileError(
      `${what}: none of its ${rows.length} rows was measured (every one failed or was interrupted)`,
    );
  return ok;
}

/** Parses a `.runs.csv` sidecar's text. */
export function parseRunsCsv(text: string, what: string): RunRecord[] {
  const { records } = parseTable(text, what, REQUIRED_RUNS_COLUMNS, 'faultscale runs sidecar');
  const seen = new Set<string>();
  return records.map(({ cells, line }) => {
    const where = `${what} line ${line}`;
    const raw = (col: string): string => cells.get(col) ?? '';
    checkNumber(raw('threads'), 'threads', where, { integer: true, min: 1 });
    checkNumber(raw('run'), 'run', where, { integer: true, min: 1 });
    checkNumber(raw('faults_per_sec'), 'faults_per_sec', where, { min: 0 });
    for (const c of KEY_COLUMNS) if (!isTextColumn(c)) checkNumber(raw(c), c, where, { optional: true });
    const rec = Object.fromEntries(
      RUNS_COLUMNS.map((c) => [c, isTextColumn(c) ? raw(c) : cellNumber(raw(c))]),
    ) as unknown as RunRecord;
    const id = `${rowKey(rec)}#${rec.run}`;
    if (seen.has(id))
      throw new ResultsFileError(`${where}: run ${raw('run')} of ${keyText(rec, KEY_COLUMNS)} appears twice`);
    seen.add(id);
    return rec;
  });
}

function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

function readText(path: string, what: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ResultsFileError(`${what}: cannot read: ${fsReason(e)}`);
  }
}

/** Reads and checks a results CSV; `role` names it in messages (`base file` → `base file 'x.csv': ...`). */
export function readResultsFile(path: string, role = 'results file'): Row[] {
  const what = `${role} ${quote(path)}`;
  return parseResultsCsv(readText(path, what), what);
}

/** Reads the sidecar of a results CSV; null when there is none (an unreadable or malformed one is an error). */
export function readRunsFile(csvPath: string, role = 'results'): RunRecord[] | null {
  const side = sidecarPath(csvPath);
  const what = `${role} runs sidecar ${quote(side)}`;
  let text: string;
  try {
    text = fs.readFileSync(side, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException | null)?.code === 'ENOENT') return null;
    throw new ResultsFileError(`${what}: cannot read: ${fsReason(e)}`);
  }
  return parseRunsCsv(text, what);
}

/** One results file, read: its rows, and its sidecar's samples by row key when there is one. */
export interface ResultSet {
  /** How the file is named in reports. */
  readonly label: string;
  readonly rows: readonly Row[];
  /** Per-run faults/s by `rowKey`; null without a sidecar. */
  readonly runs: ReadonlyMap<string, readonly number[]> | null;
  /** Where the spread comes from: the sidecar's name, or why it is absent. */
  readonly runsNote?: string;
}

/**
 * Reads a results CSV and its sidecar. A missing sidecar is not an error (the
 * CI columns stand in, and `runsNote` says so); an unreadable or malformed
 * one is, like a bad results CSV.
 */
export function loadResultSet(path: string, role: string, label: string = path): ResultSet {
  const rows = readResultsFile(path, `${role} file`);
  const side = sidecarPath(path);
  const records = readRunsFile(path, role);
  if (records === null) {
    return {
      label,
      rows,
      runs: null,
      runsNote: `${side} not found: using the CI columns of ${path} (sd = CI half-width / t × √runs)`,
    };
  }
  const runs = runsByKey(records);
  // The sidecar holds runs of the CSV's rows only; runs of rows it lacks mean the CSV lost its last lines.
  const keys = new Set(rows.map(rowKey));
  const orphans = [...runs.keys()].filter((k) => !keys.has(k));
  if (orphans.length > 0) {
    const first = records.find((r) => rowKey(r) === orphans[0])!;
    throw new ResultsFileError(
      `${role} file ${quote(path)}: truncated: its sidecar has runs of ${orphans.length} configuration(s) the CSV lacks (first: ${keyText(first, LEGACY_KEY_COLUMNS)})`,
    );
  }
  const measured = rows.filter((r) => r.status === 'ok');
  const covered = measured.filter((r) => (runs.get(rowKey(r))?.length ?? 0) >= 2).length;
  const note =
    covered === measured.length
      ? `per-run samples from ${side}`
      : `per-run samples from ${side} for ${covered} of ${measured.length} rows; CI columns of ${path} for the rest`;
  return { label, rows, runs, runsNote: note };
}
