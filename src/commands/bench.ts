/**
 * `npm run bench -- [options]`. Bad input is one line on stderr and exit
 * code 2; a run that fails or breaks an invariant is exit code 1, with every
 * row measured before it kept in the CSV.
 */
import { interruptedStatus, runMain, type Interrupts } from './main.js';
import os from 'node:os';
import { makeTarget } from '../targets/index.js';
import { parseBenchArgs } from '../harness/options.js';
import { progressLine } from '../output/progress.js';

async function main(argv: readonly string[], interrupts: Interrupts): Promise<number> {
  const cores = os.availableParallelism();
  const parsed = parseBenchArgs(argv, { cores, now: new Date(), cwd: process.cwd(), vars: process.env });
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text.endsWith('\n') ? parsed.text : `${parsed.text}\n`);
    return 0;
  }
  const { sweep, machine } = parsed.options;
  const unavailable = makeTarget(sweep.target, { dir: machine.dir, hardware: machine.hardware }).unavailable();
  if (unavailable !== null) {
    process.stderr.write(`faultscale: --target: '${sweep.target}' is unavailable: ${unavailable}\n`);
    return 2;
  }
  // SIGINT / SIGTERM stop the sweep at once; the rows measured so far are written and the exit status says which.
  const signal = interrupts.listen();
  // One updating line on a terminal; one line per run when stderr is a pipe or a file.
  const progress = progressLine(process.stderr);
  // Loaded only for a sweep: --help and bad input stay fast (the sweep brings the pools and the report's renderer).
  const { runSweep } = await import('../harness/sweep.js');
  const outcome = await runSweep(
    parsed.options,
    cores,
    {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => progress.log(line),
      progress,
    },
    signal,
  );
  if (outcome.interrupted) return interruptedStatus(outcome.interrupted);
  if (outcome.errors.length > 0) {
    process.stderr.write(`faultscale: ${outcome.errors.length} configuration(s) failed; first: ${outcome.errors[0]}\n`);
    return 1;
  }
  return 0;
}

await runMain(main);
