/**
 * The outer shell every command shares: bad input (UsageError, or a results
 * file that is not one: ResultsFileError) is one line
 * on stderr and exit status 2; anything unexpected is one line too, with
 * `internalStatus` (FAULTSCALE_DEBUG=1 adds the stack). No stack trace
 * reaches a user who made a typo. Every command runs in the directory the
 * user typed it in (INIT_CWD under `npm run`), so relative paths are theirs.
 * A command that stops cleanly on SIGINT / SIGTERM asks for them through
 * `Interrupts` and ends with `interruptedStatus`: 130 / 143.
 */
import { UsageError } from '../harness/errors.js';
import { userCwd } from '../harness/package-root.js';
import { ResultsFileError } from '../rows/read.js';

/** SIGINT and SIGTERM, for a command that stops early and cleanly on them. */
export interface Interrupts {
  /**
   * From now until the command returns, SIGINT / SIGTERM abort the returned
   * signal (its reason the signal's name) instead of ending the process.
   * Before this call they end it as usual, so a command asks only once it has
   * something to stop or clean up.
   */
  listen(): AbortSignal;
}

/** The exit status of a command stopped by `sig`: 143 for SIGTERM, 130 for SIGINT. */
export const interruptedStatus = (sig: unknown): number => (sig === 'SIGTERM' ? 143 : 130);

/** The one place the process's SIGINT / SIGTERM handlers are installed and removed. */
function processInterrupts(): Interrupts & { close(): void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => controller.abort(sig);
  let listening = false;
  return {
    listen() {
      if (!listening) {
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        listening = true;
      }
      return controller.signal;
    },
    close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export async function runMain(
  run: (argv: readonly string[], interrupts: Interrupts) => number | Promise<number>,
  internalStatus = 1,
): Promise<void> {
  const interrupts = processInterrupts();
  try {
    // Relative paths, read and written, are the user's: under `npm run` the script starts in the package root.
    const cwd = userCwd();
    if (cwd !== process.cwd()) process.chdir(cwd);
    process.exitCode = await run(process.argv.slice(2), interrupts);
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
  } finally {
    interrupts.close();
  }
}
