/** Piscina entry points: one long task per simulated CPU, run with its table's roles, and the JIT warm-up. */
import { runRole, warmUp, type RoleResult, type WarmTask } from '../src/model/roles.js';
import { ROLE_TABLES, type ThreadsRoleTask } from '../src/targets/threads/roles.js';

export default function role(task: ThreadsRoleTask): RoleResult {
  return runRole(task, ROLE_TABLES[task.roles]);
}

export function warm(task: WarmTask): number {
  return warmUp(task);
}
