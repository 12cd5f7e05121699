/**
 * Where, when and with what the rows were measured: every column the schema
 * marks as context or as part of a configuration's key, with the distinct
 * values the rows hold (the group and series columns are in the headings and
 * tables already). Generic over the schema, so a context column added to
 * rows.ts shows here without a change.
 */
import { COLUMNS, roleOf, type Row } from '../../rows/rows.js';
import { str, uniq } from './data.js';
import { escapeHtml } from './html.js';

/** Shown elsewhere in the report: the group headings, the series and the tables' rows. */
const ELSEWHERE = new Set(['target', 'workload', 'journal', 'strategy', 'threads', 'status', 'error']);
const MAX_VALUES = 8;

function values(rows: readonly Row[], column: (typeof COLUMNS)[number][0]): string {
  const vs = uniq(rows.map((r) => str(r, column)).filter((v) => v !== ''));
  if (vs.length === 0) return '—';
  if (column === 'timestamp' || column === 'started_at') {
    const sorted = [...vs].sort();
    return sorted.length === 1 ? sorted[0]! : `${sorted[0]} to ${sorted.at(-1)}`;
  }
  const shown = vs.length > MAX_VALUES ? [...vs.slice(0, MAX_VALUES), `… ${vs.length - MAX_VALUES} more`] : vs;
  return shown.join(', ');
}

export function contextTable(rows: readonly Row[], source: string | undefined): string {
  // A column no row fills (a file from before it existed, or one this target leaves empty) says nothing.
  const entries: [string, string][] = COLUMNS.filter((c) => roleOf(c) !== 'measurement' && !ELSEWHERE.has(c[0]))
    .map((c): [string, string] => [c[0], values(rows, c[0])])
    .filter(([, v]) => v !== '—');
  entries.push(['rows', String(rows.length)], ['source file', source === undefined || source === '' ? '—' : source]);
  const body = entries
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return `<table class="params" id="parameters" data-table="context"><caption>Context: machine, build, command and settings</caption><tbody>${body}</tbody></table>`;
}
