/**
 * `faultscale validate [options]` (`npm run validate:virtual -- [options]`): the real-thread model beside the
 * virtual target on this host's calibrated machine, at thread counts this
 * machine has cores for; prints both sides' throughput relative to `none`
 * and the gap. Bad input (and an uncalibrated this-host) is one line and exit
 * 2; a failed configuration is exit 1 after the table.
 */
import os from 'node:os';

import { parseValidateArgs } from '../harness/validate/args.js';
import { formatValidation } from '../harness/validate/table.js';
import { interruptedStatus, runMain, type Interrupts } from './main.js';
import { writeFileAtomic } from '../rows/write-atomic.js';

async function main(argv: readonly string[], interrupts: Interrupts): Promise<number> {
  const env = { cores: os.availableParallelism(), cwd: process.cwd(), now: new Date() };
  const parsed = parseValidateArgs(argv, env);
  if (parsed.kind === 'help') {
    process.stdout.write(`${parsed.text}\n`);
    return 0;
  }
  const signal = interrupts.listen();
  const o = parsed.options;
  // Loaded only for a run, so --help and bad input stay fast.
  const { runValidation } = await import('../harness/validate/run.js');
  const r = await runValidation(
    o,
    env,
    { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) },
    signal,
  );
  if (r.interrupted) return interruptedStatus(r.interrupted);
  process.stdout.write(
    `validate:virtual: profile ${o.profile}, threads ${o.threads.join(',')}, ${env.cores} cores, sides run: ${r.ran.join(', ') || 'none'}\n`,
  );
  for (const s of r.skipped) process.stdout.write(`note: ${s}\n`);
  process.stdout.write(`${formatValidation(r.lines)}\n`);
  if (o.jsonPath !== null) {
    const json = {
      profile: o.profile,
      threads: o.threads,
      cores: env.cores,
      sides_run: r.ran,
      skipped: r.skipped,
      errors: r.errors,
      lines: r.lines,
    };
    writeFileAtomic(o.jsonPath, `${JSON.stringify(json, null, 2)}\n`);
  }
  if (r.errors.length > 0) {
    process.stderr.write(`faultscale: ${r.errors.length} configuration(s) failed; first: ${r.errors[0]}\n`);
    return 1;
  }
  return 0;
}

await runMain(main);
