/**
 * The role tables a pool thread may run, by name: a task posted to a thread
 * names its table, since functions cannot be posted (workers/role.ts looks
 * the name up here).
 */
import { MODEL_ROLES, type RoleTable, type RoleTask } from '../../model/roles.js';
import { KERNEL_ROLES } from '../kernel/role.js';

export const ROLE_TABLES = {
  /** The simulated kernel's roles (model/roles.ts). */
  model: MODEL_ROLES,
  /** page_fault3 in the native addon, and an observer that fstats real files (kernel/role.ts). */
  kernel: KERNEL_ROLES,
} as const satisfies Record<string, RoleTable>;

export type RoleTableName = keyof typeof ROLE_TABLES;

/** A role task as the coordinator posts it to a pool thread: which table's roles run it. */
export type ThreadsRoleTask = RoleTask & { readonly roles: RoleTableName };
