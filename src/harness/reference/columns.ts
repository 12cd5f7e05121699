/** docs/reference/columns.md: the CSV schema, from COLUMNS. */
import { COLUMNS } from '../../rows/rows.js';
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

export function columnsPage(): string {
  const rows = COLUMNS.map(([name, unit, meaning]) => [`\`${name}\``, unit, meaning]);
  return [generatedFrom('`COLUMNS` in src/rows/rows.ts'), '', '# CSV columns', '', INTRO, '', ...table(['column', 'unit', 'meaning'], rows), ''].join('\n');
}
