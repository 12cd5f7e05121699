#!/usr/bin/env node
/**
 * `faultscale COMMAND [options]`: the one entry point of every command. It
 * builds first only when the sources changed since the last build
 * (scripts/ensure-built.mjs), then runs the compiled command in this process
 * with the arguments after COMMAND. The npm scripts (`npm run bench -- ...`)
 * are aliases of these commands.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { ensureBuilt, ROOT } from '../scripts/ensure-built.mjs';

/** Each command: its compiled module, and one line for the list. */
const COMMANDS = {
  bench: ['src/commands/bench.js', 'measure write faults/s over threads and strategies: a CSV row per configuration'],
  report: ['src/commands/report.js', 'render a results CSV as one self-contained HTML report'],
  compare: ['src/commands/compare.js', 'compare two results CSVs (or one against a saved baseline), row by row'],
  merge: ['src/commands/merge.js', 'merge the CSVs of a sweep run in shards (bench --shard K/N)'],
  scenario: [
    'src/commands/scenario.js',
    "run a deterministic scenario (Chinner's, Lutomirski's, ...) under each strategy",
  ],
  calibrate: ['src/commands/calibrate.js', 'measure this machine: the cost profile host and the this-host hardware'],
  fs: ['src/commands/fsmatrix.js', 'run the kernel target over real filesystems and mount options (root)'],
  validate: [
    'src/commands/validate-virtual.js',
    'check the virtual target against the real-thread model on this machine',
  ],
  'validate-published': [
    'src/commands/validate-published.js',
    'set published many-core figures beside the virtual target',
  ],
  docs: ['src/commands/docs.js', "regenerate docs/reference from the code's tables"],
};
const NAMES = Object.keys(COMMANDS);

const usage = () =>
  [
    'Usage: faultscale COMMAND [options]      (faultscale COMMAND --help for its options)',
    '       faultscale --version | --help',
    '',
    'Commands:',
    ...NAMES.map((n) => `  ${n.padEnd(19)}${COMMANDS[n][1]}`),
    '',
    'Every command is also an npm script in the faultscale directory: faultscale bench --quick',
    'is npm run bench -- --quick. Relative paths are taken from the directory the command is typed in.',
    'Exit status: 0 done, 1 a run failed (or compare found a regression past --fail-above), 2 bad input,',
    "130/143 interrupted (SIGINT/SIGTERM); each command's --help gives its own.",
  ].join('\n');

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    if (command === 'help' && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]))
      return run(rest[0], ['--help']);
    process.stdout.write(`${usage()}\n`);
    return;
  }
  ensureBuilt();
  if (command === '--version' || command === '-V') {
    const { buildInfo, harnessVersion } = await import(
      pathToFileURL(path.join(ROOT, 'dist', 'src', 'harness', 'version.js')).href
    );
    const info = buildInfo();
    process.stdout.write(
      `faultscale ${harnessVersion(info)}${info.commit ? ` (commit ${info.commit}${info.dirty ? ', with uncommitted changes' : ''})` : ''}\n`,
    );
    return;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    const { closest } = await import(
      pathToFileURL(path.join(ROOT, 'dist', 'src', 'harness', 'args', 'suggest.js')).href
    );
    const near = closest(command, NAMES);
    process.stderr.write(
      `faultscale: ${JSON.stringify(command)} is not a command; ${near ? `did you mean ${near}? ` : ''}commands are ${NAMES.join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  return run(command, rest);
}

/** Runs a compiled command here, as if started as `node dist/<module> ARGS`. */
async function run(command, args) {
  ensureBuilt();
  process.argv.splice(2, process.argv.length - 2, ...args);
  await import(pathToFileURL(path.join(ROOT, 'dist', COMMANDS[command][0])).href);
}

await main();
