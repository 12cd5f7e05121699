/** Piscina entry points: one long task per simulated CPU, and the JIT warm-up. */
import { runRole, warmUp, type RoleResult, type RoleTask, type WarmTask } from '../src/model/roles.js';

export default function role(task: RoleTask): RoleResult {
  return runRole(task);
}

export function warm(task: WarmTask): number {
  return warmUp(task);
}
