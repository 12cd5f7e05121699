/**
 * The bench's options, grouped by the object each fills: the sweep (what is
 * measured), the model (the modelled kernel's settings), the run plan, the
 * machine (where the writers run) and the outputs. Each group is one table
 * (parsing, defaults, validation and help, one entry per option; see
 * ../args/index.ts) in its own file, with the checks that resolve it; --help
 * lists the groups in this order, each under its title. The parsed groups
 * reach the sweep whole, as BenchOptions.
 */
import { helpOption, optionGroup } from '../args/index.js';
import type { BenchEnv } from './defaults.js';
import { machineOptions, type MachineOptions } from './machine.js';
import { modelOptions, type ModelOptions } from './model.js';
import { outputOptions, type OutputOptions } from './outputs.js';
import { planOptions, type RunPlan } from './plan.js';
import { sweepOptions, type SweepOptions } from './sweep.js';

export { DEFAULTS, MAX_SHARED_BYTES, type BenchEnv } from './defaults.js';
export { checkPresets, type SweepOptions } from './sweep.js';
export { resolveModel, type ModelOptions } from './model.js';
export { resolveRunPlan, type RunPlan } from './plan.js';
export { resolveHardware, resolveMachine, type MachineOptions } from './machine.js';
export { resolveOutputs, type OutputOptions } from './outputs.js';

/** The groups in --help order (a group's defaults may read the groups before it: the target, --quick, HZ, the window). */
export function benchOptionGroups(env: BenchEnv) {
  return {
    sweep: sweepOptions(env),
    model: modelOptions(),
    plan: planOptions(env.vars),
    machine: machineOptions(env),
    outputs: outputOptions(env),
    help: optionGroup('Help', { help: helpOption(['Show this help and exit.'], { label: '--help, -h' }) }),
  };
}

/** The resolved options the sweep reads: each group whole, as its options and checks fill it. */
export interface BenchOptions {
  readonly sweep: SweepOptions;
  readonly model: ModelOptions;
  readonly plan: RunPlan;
  readonly machine: MachineOptions;
  readonly outputs: OutputOptions;
  /** The arguments the sweep was started with (after the command name), for the rows' command_line; none when built in code. */
  readonly argv?: readonly string[];
}
