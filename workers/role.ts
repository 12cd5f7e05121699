/** Piscina entry points: one long task per simulated CPU, run with its target's roles, and the JIT warm-up. */
import { runRole, warmUp, type RoleResult, type WarmTask } from '../src/model/roles.js';
import { TARGETS, type TargetRoleTask } from '../src/targets/index.js';

export default function role(task: TargetRoleTask): RoleResult {
  return runRole(task, TARGETS[task.target].roles);
}

export function warm(task: WarmTask): number {
  return warmUp(task);
}
