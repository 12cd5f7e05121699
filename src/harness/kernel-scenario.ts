/**
 * `npm run scenario -- NAME --target kernel [--dir PATH]`: checks the input
 * (a scenario the kernel can show, the addon, a directory it can create a
 * file in) before any step runs, then runs the scenario on a real file.
 */
import os from 'node:os';
import { Errors, UsageError } from './errors.js';
import { checkDirectory } from './options.js';
import { loadNative } from '../targets/kernel/native.js';
import { kernelVerdictTable } from '../output/verdicts.js';
import {
  KERNEL_SCENARIOS,
  KERNEL_SCENARIO_NAMES,
  isKernelScenario,
  runKernelScenario,
  type KernelRun,
} from '../targets/kernel/scenarios.js';
import { kernelVersion } from '../targets/kernel/fsinfo.js';

/**
 * Runs `name` on the live kernel in `dir` (default: the OS temp directory),
 * printing each step and the verdict; with `json`, prints nothing but returns the run for kernelRunJson.
 */
export function kernelScenarioCommand(
  name: string,
  dir: string | undefined,
  log: (line: string) => void,
  json = false,
): KernelRun {
  if (!isKernelScenario(name)) {
    throw new UsageError(
      `--target: scenario '${name}' needs the model (the kernel can show ${KERNEL_SCENARIO_NAMES.join(', ')})`,
      '--target',
    );
  }
  const native = loadNative();
  if (!native.ok) throw new UsageError(`--target: 'kernel' is unavailable: ${native.reason}`, '--target');
  const where = dir ?? os.tmpdir();
  checkDirectory('--dir', where);
  // Running as root passes the access() check on a read-only mount; creating a file is the real test.
  try {
    native.addon.close(native.addon.openUnlinked(where, 4096));
  } catch (e) {
    throw Errors.unwritable(
      '--dir',
      where,
      `cannot create a file there (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (json) return runKernelScenario(native.addon, name, where);
  log(`${name}: ${KERNEL_SCENARIOS[name].about}`);
  log(`kernel ${kernelVersion()}`);
  const run = runKernelScenario(native.addon, name, where, log);
  log('');
  log(kernelVerdictTable(name, [run.verdict]));
  return run;
}

/** A kernel run as the model's verdicts JSON is shaped (scenario, verdicts), plus the kernel, the filesystem and the raw faults. */
export function kernelRunJson(name: string, run: KernelRun): string {
  const v = run.verdict;
  return JSON.stringify({
    scenario: name,
    target: 'kernel',
    kernel: kernelVersion(),
    verdicts: [
      {
        strategy: v.strategy,
        fs: v.fs,
        faulted: v.faulted,
        noticed: v.noticed,
        after_sec: v.afterSec,
        faults: v.faults,
      },
    ],
  });
}
