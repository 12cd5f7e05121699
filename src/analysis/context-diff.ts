/**
 * Whether two result files ran in the same context: the machine and the build
 * their rows record (rows.ts, role `context`). Rows that match on every key
 * column measured the same configuration, but on another CPU, kernel or
 * commit a change may be the machine's, not the code's; compare says so.
 */
import { CONTEXT_COLUMNS, type ContextColumn, type Row } from '../rows/rows.js';

/**
 * Context columns that differ from one sweep to the next on the same machine
 * and build (when it started, how loaded it was, what was typed, which sweep
 * and shard it was), so a difference in them says nothing about the comparison.
 */
const PER_SWEEP: ReadonlySet<ContextColumn> = new Set([
  'command_line',
  'load_avg_1m',
  'started_at',
  'timestamp',
  'seed',
  'sweep_id',
  'shard',
  'sweep_configurations',
]);

/** The context columns compared: the machine and the build. */
export const COMPARED_CONTEXT: readonly ContextColumn[] = CONTEXT_COLUMNS.filter((c) => !PER_SWEEP.has(c));

export interface ContextDifference {
  readonly column: ContextColumn;
  /** The distinct values in each file, in first-seen order ('' for an empty cell). */
  readonly base: readonly string[];
  readonly next: readonly string[];
}

const cell = (v: string | number): string => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v);

function valuesOf(rows: readonly Row[], c: ContextColumn): string[] {
  return [...new Set(rows.map((r) => cell(r[c])))];
}

/** Whether a file's rows record any context at all (files from before these columns do not). */
export const recordsContext = (rows: readonly Row[]): boolean =>
  rows.some((r) => COMPARED_CONTEXT.some((c) => cell(r[c]) !== ''));

/** The compared context columns whose values differ between the two files. */
export function contextDifferences(base: readonly Row[], next: readonly Row[]): ContextDifference[] {
  const out: ContextDifference[] = [];
  for (const column of COMPARED_CONTEXT) {
    const b = valuesOf(base, column);
    const n = valuesOf(next, column);
    const same = b.length === n.length && b.every((v) => n.includes(v));
    if (!same) out.push({ column, base: b, next: n });
  }
  return out;
}
