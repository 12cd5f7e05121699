/**
 * `npm run docs [-- --check]`: writes the reference pages under docs/reference/
 * and the README's generated blocks from the code's own tables (options, CSV
 * columns, strategies, presets). With --check it writes nothing, names each
 * file that differs and exits 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runMain } from './main.js';
import { flagOption, helpOption, optionHelp, parseCommandLine } from '../harness/args/index.js';
import { REFERENCE_PAGES } from '../harness/reference/index.js';

const OPTIONS = {
  check: flagOption({ name: '--check', help: ['write nothing; exit 1 naming each file that differs from its tables'] }),
  help: helpOption(['this text']),
};

const USAGE = [
  'Usage: npm run docs [-- --check]',
  "Regenerates docs/reference/*.md and the README's generated blocks from the tables in the code.",
  ...optionHelp(OPTIONS, { kind: 'column', width: 10 }),
  'Exit status: 0 written or up to date, 1 a file differs (--check), 2 bad input.',
].join('\n');

/** dist/src/commands/docs.js sits three levels below the repository root. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function run(argv: readonly string[]): number {
  const parsed = parseCommandLine(OPTIONS, argv);
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stale: string[] = [];
  for (const page of REFERENCE_PAGES) {
    const file = path.join(ROOT, page.file);
    const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    const text = page.render(now ?? '');
    if (now === text) continue;
    stale.push(page.file);
    if (!parsed.values.check) fs.writeFileSync(file, text);
  }
  if (parsed.values.check) {
    process.stdout.write(
      stale.length === 0
        ? 'the generated docs are up to date\n'
        : `out of date: ${stale.join(', ')} (run npm run docs)\n`,
    );
    return stale.length === 0 ? 0 : 1;
  }
  process.stdout.write(stale.length === 0 ? 'the generated docs are up to date\n' : `written: ${stale.join(', ')}\n`);
  return 0;
}

await runMain(run);
