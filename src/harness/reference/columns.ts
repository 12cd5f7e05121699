/** docs/reference/columns.md: the CSV schema, from COLUMNS. */
import { COLUMN_ROLES, COLUMNS, roleOf, type ColumnRole } from '../../rows/rows.js';
import { generatedFrom, table } from './markdown.js';

const INTRO = `One row per configuration (workload, journal, strategy, threads, and the
other identifying columns), RFC 4180, every numeric cell a plain number
(empty where undefined, e.g. a CI from one run, or not measured). A
configuration that failed, or was cut short by a signal, is a row too:
\`status\` says so, \`error\` says why, and its measured cells are empty. Every
command reads a results CSV the same way (\`src/rows/read.ts\`): a numeric cell
that is empty reads as "not measured" (never as 0), a non-empty one must be a
number, and only \`ok\` rows enter the analyses (compare, USL, chart, report,
trade-off). A file from before the \`status\` column reads as all \`ok\`.`;

/** What each role's columns are for (this page's intro and the README's summary). */
export const ROLE_MEANING: Readonly<Record<ColumnRole, string>> = {
  key: 'identify a configuration (compare pairs rows on all of them, and a file holds each key once)',
  context: 'say where, when and with what build a row ran',
  measurement: 'hold the figures and how they were taken',
};

const ROLE_CLAUSES = COLUMN_ROLES.map((r) => `\`${r}\` columns ${ROLE_MEANING[r]}`);
const ROLES = `A column's role: ${ROLE_CLAUSES.slice(0, -1).join(', ')}, and ${ROLE_CLAUSES.at(-1)}.`;

export function columnsPage(): string {
  const rows = COLUMNS.map((c) => [`\`${c[0]}\``, c[1], roleOf(c), c[2]]);
  return [
    generatedFrom('`COLUMNS` in src/rows/rows.ts'),
    '',
    '# CSV columns',
    '',
    INTRO,
    '',
    ROLES,
    '',
    ...table(['column', 'unit', 'role', 'meaning'], rows),
    '',
  ].join('\n');
}
