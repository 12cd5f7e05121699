/**
 * `npm run bench -- [options]`. Bad input is one line on stderr and exit
 * code 2; a run that fails or breaks an invariant is exit code 1, with every
 * row measured before it kept in the CSV.
 */
import os from 'node:os';
import { UsageError } from './errors.js';
import { parseBenchArgs } from './options.js';
import { runSweep } from './sweep.js';

async function main(argv: readonly string[]): Promise<number> {
  const cores = os.availableParallelism();
  let parsed;
  try {
    parsed = parseBenchArgs(argv, { cores, now: new Date(), cwd: process.cwd() });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`faultscale: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text.endsWith('\n') ? parsed.text : `${parsed.text}\n`);
    return 0;
  }
  const outcome = await runSweep(parsed.options, cores, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  if (outcome.error) {
    process.stderr.write(`faultscale: ${outcome.error}\n`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Anything unexpected is still one line; FAULTSCALE_DEBUG=1 shows the stack.
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`faultscale: internal error: ${msg}\n`);
    if (process.env.FAULTSCALE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  },
);
