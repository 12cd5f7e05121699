/** The configurations that were not measured: every failed or interrupted row, with why, so none is dropped silently. */
import type { Row } from '../../rows/rows.js';
import { str } from './data.js';
import { htmlTable } from './html.js';

const SHOWN = ['target', 'workload', 'journal', 'lock', 'strategy', 'threads', 'runs', 'status', 'error'] as const;

export function statusTable(all: readonly Row[]): string {
  const missing = all.filter((r) => r.status !== 'ok');
  if (missing.length === 0) return '';
  const rows = missing.map((r) => SHOWN.map((c) => str(r, c)));
  return htmlTable(
    'not-measured',
    `Not measured: ${missing.length} configuration${missing.length === 1 ? '' : 's'}`,
    [...SHOWN],
    rows,
    ' failed or interrupted; their figures are empty and no chart or table above draws them.',
  );
}
