/** docs/reference/strategies.md: what each strategy does, from STRATEGIES. */
import { STRATEGIES, STRATEGY_NAMES } from '../../model/strategies/index.js';
import { generatedFrom, table } from './markdown.js';

const INTRO = `Each strategy is one file in \`src/model/strategies/\` behind the \`Strategy\`
interface and one entry in the \`STRATEGIES\` table; how they work is in
[../model.md](../model.md#strategies).`;

export function strategiesPage(): string {
  const rows = STRATEGY_NAMES.map((name) => {
    const s = STRATEGIES[name];
    return [
      `\`${name}\``,
      s.fault,
      s.writeback,
      s.sync === '' ? 'nothing' : s.sync,
      s.iversion ? 'yes' : 'no',
      s.origin,
    ];
  });
  const head = [
    'name',
    'at the write fault (page_mkwrite)',
    'at writeback',
    'at munmap/exit, msync, fsync',
    'i_version',
    'origin',
  ];
  return [
    generatedFrom('`STRATEGIES` in src/model/strategies/'),
    '',
    '# Strategies',
    '',
    INTRO,
    '',
    ...table(head, rows),
    '',
  ].join('\n');
}
