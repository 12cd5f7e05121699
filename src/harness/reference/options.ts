/** docs/reference/options.md: the bench's options, from the option table that parses them and prints --help. */
import { benchOptions, type BenchEnv } from '../options.js';
import type { AnyOption } from '../args/index.js';
import { generatedFrom, table } from './markdown.js';

/** An option --help lists (a refused one is only an older spelling's message). */
type ListedOption = Exclude<AnyOption, { kind: 'refused' }>;

/**
 * Some defaults follow the machine (the thread counts) or the clock (the CSV's
 * name); the page shows them for this fixed machine so it does not change with
 * the one it is generated on.
 */
const DOC_ENV: BenchEnv = { cores: 8, now: new Date(Date.UTC(2026, 0, 1)), cwd: '.' };

const INTRO = `\`npm run bench -- --help\` prints the same text. Defaults that depend on the
machine are shown for one with ${DOC_ENV.cores} cores. Options take a value as
\`--opt VALUE\` or \`--opt=VALUE\`; a repeated option keeps its last value, and
\`--help\` or \`-h\` shows the help even next to a mistake. How the options work
together (failures, run order, shards) is in [../running.md](../running.md).`;

export function label(o: ListedOption): string {
  return o.label ?? (o.kind === 'value' ? `${o.name} ${o.metavar}` : o.name);
}

/** --help's lines as one cell: wrapped lines joined, indented sub-items each on a line of their own. */
function meaning(help: readonly string[]): string {
  let out = '';
  for (const line of help) {
    if (line.startsWith('  ')) out += `<br>${line.trim()}`;
    else out += out === '' ? line : ` ${line}`;
  }
  return out;
}

/** The bench's listed options by --help's sections, in its order (an option without a section stays in the one before it). */
export function optionSections(): Map<string, ListedOption[]> {
  const bySection = new Map<string, ListedOption[]>();
  let section = 'Options';
  for (const o of Object.values(benchOptions(DOC_ENV)) as AnyOption[]) {
    if (o.kind === 'refused') continue;
    section = o.section ?? section;
    bySection.set(section, [...(bySection.get(section) ?? []), o]);
  }
  return bySection;
}

export function optionsPage(): string {
  const sections = [...optionSections()].flatMap(([name, options]) => [
    '',
    `## ${name}`,
    '',
    ...table(
      ['option', 'meaning'],
      options.map((o) => [`\`${label(o)}\``, meaning(o.help)]),
    ),
  ]);
  return [
    generatedFrom('`benchOptions` in src/harness/options.ts'),
    '',
    '# Bench options',
    '',
    INTRO,
    ...sections,
    '',
  ].join('\n');
}
