/** Piscina entry of the virtual target: one simulated run per task. */
import { runVirtualTask, type VirtualTask } from '../src/targets/virtual/task.js';
import type { TargetRun } from '../src/targets/target.js';

export default function virtual(task: VirtualTask): TargetRun {
  return runVirtualTask(task);
}
