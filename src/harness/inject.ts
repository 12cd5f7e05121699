/**
 * Test hook for failure handling: FAULTSCALE_INJECT holds JSON such as
 * {"kind":"throw","role":"writer","after":1000,"strategy":"eager"} and makes
 * the first worker of that role fail in every run of the configurations it
 * matches (all, when it names no strategy/journal/workload/threads).
 */
import type { Role } from '../model/config.js';
import type { FaultInjection } from '../model/roles.js';

export interface Injection {
  readonly fault: FaultInjection;
  matches(c: { workload: string; journal: string; strategy: string; threads: number }): boolean;
}

const ROLES: readonly Role[] = ['writer', 'timer', 'flusher', 'committer', 'observer'];
const KINDS = ['throw', 'exit', 'hang'] as const;

export function parseInjection(raw: string | undefined): Injection | null {
  if (!raw) return null;
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new Error(`FAULTSCALE_INJECT is not JSON: ${raw}`);
  }
  const kind = spec.kind as (typeof KINDS)[number];
  const role = (spec.role ?? 'writer') as Role;
  if (!KINDS.includes(kind)) throw new Error(`FAULTSCALE_INJECT: kind must be one of ${KINDS.join(', ')}`);
  if (!ROLES.includes(role)) throw new Error(`FAULTSCALE_INJECT: role must be one of ${ROLES.join(', ')}`);
  const fault: FaultInjection = { kind, role, after: Number(spec.after ?? 1000) };
  const want = (key: string, value: string | number): boolean => spec[key] === undefined || spec[key] === value;
  return {
    fault,
    matches: (c) =>
      want('workload', c.workload) &&
      want('journal', c.journal) &&
      want('strategy', c.strategy) &&
      want('threads', c.threads),
  };
}
