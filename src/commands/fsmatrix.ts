/**
 * `npm run bench:fs -- [--fs LIST] [--mount-options LIST] [--size-mib N] [--csv PATH] [--force] [bench options...]`:
 * the kernel target on freshly made file systems (see fsmatrix.ts). Bad input
 * is one line and exit 2; a failed combination (or none run) exit 1;
 * SIGINT/SIGTERM remove everything made, then exit 130/143. `--cleanup` only
 * removes what runs killed with SIGKILL left (see leftovers.ts).
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';

import { runMain, type Interrupts } from './main.js';
import { MatrixRunner, parseMatrixArgs, planMatrix, realEffects, realHost } from '../harness/fsmatrix/fsmatrix.js';
import { loadNative } from '../targets/kernel/native.js';

async function main(argv: readonly string[], interrupts: Interrupts): Promise<number> {
  // Throws UsageError (one line, exit 2, from runMain).
  const parsed = parseMatrixArgs(argv, { cwd: process.cwd(), now: new Date(), cores: os.availableParallelism() });
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  const host = realHost();
  // Tools for releasing leftovers: what this host has (a leftover loop device means losetup was there).
  const tools = {
    losetup: host.which('losetup') ?? '',
    mount: host.which('mount') ?? '',
    umount: host.which('umount') ?? '',
    mkfs: '',
  };
  const benchCli = fileURLToPath(new URL('./bench.js', import.meta.url));
  if (parsed.kind === 'cleanup') {
    const idle = new MatrixRunner(
      { combos: [], csvPath: '', runsPath: '', passthrough: [] },
      realEffects({ benchCli }),
    );
    const lines = idle.removeLeftovers(tools);
    for (const l of lines) process.stderr.write(`faultscale: ${l}\n`);
    if (lines.length === 0) process.stderr.write('faultscale: no leftovers of earlier bench:fs runs\n');
    return lines.some((l) => l.includes('; could not: ')) ? 1 : 0;
  }
  const plan = planMatrix(parsed.args, host);
  if (plan.combos.some((c) => c.skip === null)) {
    const native = loadNative();
    if (!native.ok) {
      process.stderr.write(`faultscale: --target: 'kernel' is unavailable: ${native.reason}\n`);
      return 2;
    }
  }
  const runner = new MatrixRunner(plan, realEffects({ benchCli }));
  // What earlier runs killed with SIGKILL left behind goes first, and is named.
  if (host.isRoot) for (const l of runner.removeLeftovers(tools)) process.stderr.write(`faultscale: ${l}\n`);
  // Signals: forward to the bench, wait for it, unmount / detach / remove, exit. All synchronous.
  // (The abort event is dispatched synchronously inside the signal handler.)
  const signal = interrupts.listen();
  signal.addEventListener('abort', () => process.exit(runner.interrupt(signal.reason as NodeJS.Signals)));
  // Backstop for any other way out (an exception, process.exit elsewhere): idempotent.
  process.on('exit', () => {
    const left = runner.cleanup();
    if (left.length > 0) process.stderr.write(`faultscale: clean-up: ${left.join('; ')}\n`);
  });
  const outcome = await runner.run();
  return outcome.exitCode;
}

await runMain(main);
