/**
 * The outer shell every command shares: bad input (UsageError, or a results
 * file that is not one: ResultsFileError) is one line
 * on stderr and exit status 2; anything unexpected is one line too, with
 * `internalStatus` (FAULTSCALE_DEBUG=1 adds the stack). No stack trace
 * reaches a user who made a typo. Every command runs in the directory the
 * user typed it in (INIT_CWD under `npm run`), so relative paths are theirs.
 */
import { UsageError } from '../harness/errors.js';
import { userCwd } from '../harness/package-root.js';
import { ResultsFileError } from '../rows/read.js';

export async function runMain(run: (argv: readonly string[]) => number | Promise<number>, internalStatus = 1): Promise<void> {
  try {
    // Relative paths, read and written, are the user's: under `npm run` the script starts in the package root.
    const cwd = userCwd();
    if (cwd !== process.cwd()) process.chdir(cwd);
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
