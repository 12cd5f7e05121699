/**
 * README.md's generated blocks: the short forms of the reference pages (one
 * line per strategy, the bench's options by --help's sections, the CSV columns
 * by role), each linking to its full page under docs/reference/.
 */
import { STRATEGIES, STRATEGY_NAMES } from '../../model/strategies/index.js';
import { COLUMN_ROLES, COLUMNS, roleOf } from '../../rows/rows.js';
import { ROLE_MEANING } from './columns.js';
import { fillBlocks } from './markdown.js';
import { label, optionSections } from './options.js';

const code = (text: string): string => `\`${text}\``;

function strategies(): string {
  return STRATEGY_NAMES.map((name) => {
    const s = STRATEGIES[name];
    const writeback = s.writeback === 'nothing' ? '' : `; at writeback, ${s.writeback}`;
    const keeps = s.iversion ? '; keeps i_version' : '';
    return `- ${code(name)}: at the fault, ${s.fault}${writeback}. *${s.origin}*${keeps}.`;
  }).join('\n');
}

function options(): string {
  return [...optionSections()]
    .map(([section, list]) => `- **${section}**: ${list.map((o) => code(label(o))).join(', ')}.`)
    .join('\n');
}

function columns(): string {
  return COLUMN_ROLES.map((role) => {
    const names = COLUMNS.filter((c) => roleOf(c) === role).map((c) => code(c[0]));
    return `- ${names.length} ${code(role)} columns ${ROLE_MEANING[role]}: ${names.join(', ')}.`;
  }).join('\n');
}

export const README_BLOCKS = { strategies, options, columns } as const;

/** README.md as it is, with each generated block rewritten from its table. */
export const readmePage = (current: string): string => fillBlocks(current, README_BLOCKS);
