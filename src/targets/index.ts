/**
 * Targets: what a sweep measures. This layer owns everything that differs
 * between them; it may import the model, nothing above it. The table below
 * is the only list of targets: the options and the sweep look a target up
 * here and never branch on its name.
 *  - target.ts        the Target interface: one run per call, and what describes it to a sweep
 *  - run-errors.ts    how a run fails
 *  - model-kernel.ts  what the two targets that run the model kernel share
 *  - worker-file.ts   where a compiled pool entry lies
 *  - model/           the simulated kernel on real threads
 *  - kernel/          this machine's kernel through the native addon (page_fault3 in C), and
 *                     the scenarios a live kernel can show (kernel/scenarios.ts)
 *  - virtual/         the model on N virtual CPUs in virtual time, on a simulated machine
 *  - threads/         the threads coordinator, which runs the model and kernel targets' runs
 */
import { kernelTarget } from './kernel/index.js';
import { modelTarget } from './model/index.js';
import type { Hardware } from './virtual/hardware.js';
import type { Target, WriterMode } from './target.js';
import { virtualTarget } from './virtual/index.js';
import { VIRTUAL_SWEEP } from './virtual/defaults.js';

export interface TargetSettings {
  /** Where a real kernel's files are created. */
  readonly dir: string;
  /** The machine a simulating target runs on (--hardware, --topology); unused by the others. */
  readonly hardware: Hardware;
  /** Runs a simulating target takes at once (--jobs); the cores when absent. */
  readonly jobs?: number;
  /** How a real kernel's writers run (the model's always run as threads). */
  readonly mode?: WriterMode;
}

/** How a target changes the sweep's limits and defaults (an option given explicitly still wins). */
export interface SweepDefaults {
  /** Most writer threads a configuration may have. */
  readonly maxThreads: number;
  readonly threads?: readonly number[];
  readonly quickThreads?: readonly number[];
  /** Window and warm-up in ticks of the modelled kernel (1000 / HZ ms each), so each run sees whole ticks. */
  readonly windowTicks?: number;
  readonly warmupTicks?: number;
  readonly quickWindowTicks?: number;
  readonly quickWarmupTicks?: number;
  readonly pages?: number;
  readonly timeScale?: number;
  readonly observerIntervalMs?: number;
}

/** Threads and processes on this machine: 256 at most. */
const REAL_SWEEP: SweepDefaults = { maxThreads: 256 };

export const TARGETS = {
  model: {
    make: (): Target => modelTarget(),
    about: 'the simulated kernel in shared memory, one thread per CPU',
    simulatesHardware: false,
    runsModelKernel: true,
    sweep: REAL_SWEEP,
  },
  kernel: {
    make: (s: TargetSettings): Target => kernelTarget(s.dir, s.mode),
    about: "this machine's kernel, through the native addon",
    simulatesHardware: false,
    runsModelKernel: false,
    sweep: REAL_SWEEP,
  },
  virtual: {
    make: (s: TargetSettings): Target => virtualTarget(s.hardware, s.jobs),
    about: 'the simulated kernel on N virtual CPUs in virtual time, on a simulated machine',
    simulatesHardware: true,
    runsModelKernel: true,
    sweep: VIRTUAL_SWEEP,
  },
} as const satisfies Record<
  string,
  {
    make: (s: TargetSettings) => Target;
    about: string;
    /** Whether it runs on a simulated machine (TargetSettings.hardware); --hardware and --topology apply only then. */
    simulatesHardware: boolean;
    /** Whether it runs the model kernel, whose journal, strategy and locks a sweep chooses (--preset applies only then). */
    runsModelKernel: boolean;
    sweep: SweepDefaults;
  }
>;

export type TargetName = keyof typeof TARGETS;
export const TARGET_NAMES = Object.keys(TARGETS) as TargetName[];

export function makeTarget(name: TargetName, settings: TargetSettings): Target {
  return TARGETS[name].make(settings);
}

/** Targets that run on a simulated machine. */
export const HARDWARE_TARGETS = TARGET_NAMES.filter((t) => TARGETS[t].simulatesHardware);

/** Targets that run the model kernel. */
export const MODEL_KERNEL_TARGETS = TARGET_NAMES.filter((t) => TARGETS[t].runsModelKernel);

export type { Target } from './target.js';
