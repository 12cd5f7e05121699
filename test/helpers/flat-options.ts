/**
 * The bench's resolved option groups side by side, so a test can check a few
 * fields without saying which group holds each (the groups themselves are
 * pinned by options.test.ts's defaults test).
 */
import type { BenchOptions } from '../../src/harness/options.js';

export function flatOptions(o: BenchOptions) {
  const { profile, ...sweep } = o.sweep;
  return {
    ...sweep,
    profile: profile.name,
    costProfile: profile.costProfile,
    ...o.model,
    ...o.plan,
    ...o.machine,
    ...o.outputs,
  };
}
