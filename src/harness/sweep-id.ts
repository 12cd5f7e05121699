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

import type { BenchOptions } from './bench-options.js';
import { buildInfo } from './version.js';

/** The options that make up the plan. */
export type PlanOptions = Pick<
  BenchOptions,
  | 'target'
  | 'mode'
  | 'hardwareName'
  | 'hardware'
  | 'costProfile'
  | 'workloads'
  | 'journals'
  | 'strategies'
  | 'presets'
  | 'threads'
  | 'lock'
  | 'durationSec'
  | 'warmupSec'
  | 'runs'
  | 'adaptive'
  | 'targetCiPct'
  | 'order'
  | 'seed'
  | 'pages'
  | 'timeScale'
  | 'hz'
  | 'observerIntervalMs'
  | 'msyncEvery'
  | 'timeGranNs'
  | 'client'
>;

/** The plan, in a fixed order. */
function plan(o: PlanOptions): unknown[] {
  return [
    // The package version: the build (commit, edits) is merge's harness_version check, which names it.
    buildInfo().packageVersion,
    o.target,
    o.mode,
    o.hardwareName,
    o.hardware,
    o.costProfile,
    o.workloads,
    o.journals,
    o.strategies,
    o.presets,
    o.threads,
    o.lock,
    o.durationSec,
    o.warmupSec,
    o.runs,
    o.adaptive,
    o.targetCiPct,
    o.order,
    o.seed,
    o.pages,
    o.timeScale,
    o.hz,
    o.observerIntervalMs,
    o.msyncEvery,
    o.timeGranNs,
    o.client,
  ];
}

/** The first 12 hex digits of the plan's SHA-256: one in 2^48 for two plans to share an id by chance. */
export function sweepIdOf(o: PlanOptions): string {
  return createHash('sha256')
    .update(JSON.stringify(plan(o)))
    .digest('hex')
    .slice(0, 12);
}
