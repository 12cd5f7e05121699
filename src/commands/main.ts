/**
 * The outer shell every command shares: bad input (UsageError, or a results
 * file that is not one: ResultsFileError) is one line
 * on stderr and exit status 2; anything unexpected is one line too, with
 * `internalStatus` (FAULTSCALE_DEBUG=1 adds the stack). No stack trace
 * reaches a user who made a typo.
 */
import { UsageError } from '../harness/errors.js';
import { ResultsFileError } from '../rows/read.js';

export async function runMain(run: (argv: readonly string[]) => number | Promise<number>, internalStatus = 1): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError || e instanceof ResultsFileError) {
      process.stderr.write(`faultscale: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    const msg = (e instanceof Error ? e.message : String(e)).replace(/[\r\n]+/g, ' ');
    process.stderr.write(`faultscale: internal error: ${msg}\n`);
    if (process.env.FAULTSCALE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = internalStatus;
  }
}
