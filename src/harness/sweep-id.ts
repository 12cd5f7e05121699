/**
 * A sweep's identity: a hash of its plan, so that the shards of one sweep,
 * run on any nodes, carry one `sweep_id`, and a shard of another sweep (other
 * thread counts, another seed, another window) carries another. The plan is
 * every resolved option that changes which configurations run or what they
 * measure; where files go, how many runs go at once (--jobs: the same figures
 * either way) and which shard this is are not part of it. The thread list is,
 * so a real target's default (powers of two up to this node's cores) gives
 * nodes with other core counts other sweeps: pass --threads there.
 */
import { createHash } from 'node:crypto';

import type { BenchOptions } from './bench-options/index.js';
import { buildInfo } from './version.js';

/** The groups that make up the plan (not the outputs). */
export type PlanOptions = Pick<BenchOptions, 'sweep' | 'model' | 'machine'> & {
  readonly plan: Omit<BenchOptions['plan'], 'sweepId'>;
};

/** The plan, in a fixed order; every model setting but the tick (HZ gives it), in the model group's order. */
function plan({ sweep: s, model, plan: p, machine: m }: PlanOptions): unknown[] {
  const { tickMs: _tick, ...settings } = model;
  return [
    // The package version: the build (commit, edits) is merge's harness_version check, which names it.
    buildInfo().packageVersion,
    s.target,
    m.mode,
    m.hardwareName,
    m.hardware,
    s.profile.costProfile,
    s.workloads,
    s.journals,
    s.strategies,
    s.presets,
    s.threads,
    s.lock,
    p.durationSec,
    p.warmupSec,
    p.runs,
    p.adaptive,
    p.targetCiPct,
    p.order,
    p.seed,
    ...Object.values(settings),
  ];
}

/** The first 12 hex digits of the plan's SHA-256: one in 2^48 for two plans to share an id by chance. */
export function sweepIdOf(o: PlanOptions): string {
  return createHash('sha256')
    .update(JSON.stringify(plan(o)))
    .digest('hex')
    .slice(0, 12);
}
