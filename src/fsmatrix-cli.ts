/**
 * `npm run bench:fs -- [--fs LIST] [--mount-options LIST] [--size-mib N] [--csv PATH] [--force] [bench options...]`:
 * the kernel target on freshly made file systems (see fsmatrix.ts). Bad input
 * is one line and exit 2; a failed combination exit 1; SIGINT/SIGTERM remove
 * everything made, then exit 130/143.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { UsageError } from './errors.js';
import { MatrixRunner, parseMatrixArgs, planMatrix, realEffects, realHost } from './fsmatrix.js';
import { loadNative } from './native.js';

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseMatrixArgs(argv, { cwd: process.cwd(), now: new Date(), cores: os.availableParallelism() });
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`faultscale: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  const plan = planMatrix(parsed.args, realHost());
  if (plan.combos.some((c) => c.skip === null)) {
    const native = loadNative();
    if (!native.ok) {
      process.stderr.write(`faultscale: --target: 'kernel' is unavailable: ${native.reason}\n`);
      return 2;
    }
  }
  const runner = new MatrixRunner(plan, realEffects({ benchCli: fileURLToPath(new URL('./cli.js', import.meta.url)) }));
  // Signals: forward to the bench, wait for it, unmount / detach / remove, exit. All synchronous.
  const onSignal = (sig: NodeJS.Signals): void => {
    process.exit(runner.interrupt(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Backstop for any other way out (an exception, process.exit elsewhere): idempotent.
  process.on('exit', () => {
    const left = runner.cleanup();
    if (left.length > 0) process.stderr.write(`faultscale: clean-up: ${left.join('; ')}\n`);
  });
  const outcome = await runner.run();
  return outcome.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`faultscale: internal error: ${msg}\n`);
    if (process.env.FAULTSCALE_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = 1;
  },
);
