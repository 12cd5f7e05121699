/** The virtual target's pool task: one whole run, simulated on the pool thread that takes it. */
import type { ModelConfig } from '../../model/config.js';
import type { TargetRun } from '../target.js';
import { simulate } from './simulate.js';
import { fromSpec, type HardwareSpec } from './spec.js';

export interface VirtualTask {
  readonly cfg: ModelConfig;
  readonly hardware: HardwareSpec;
  readonly warmupNs: number;
  readonly windowNs: number;
  readonly seed: number;
}

export function runVirtualTask(t: VirtualTask): TargetRun {
  return simulate(t.cfg, fromSpec(t.hardware), { warmupNs: t.warmupNs, windowNs: t.windowNs }, t.seed);
}
