/** Piscina entry point: one long task per simulated CPU. */
import { runRole, type RoleResult, type RoleTask } from '../src/roles.js';

export default function role(task: RoleTask): RoleResult {
  return runRole(task);
}
