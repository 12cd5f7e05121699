/**
 * The virtual target: the model on N virtual CPUs (1..1024) in virtual time,
 * on a simulated machine (Hardware). Same sweep, options, rows and
 * statistics as the model target; a run is one pool task that simulates
 * warm-up and window on one thread (simulate.ts) and returns the sample the
 * threads coordinator would. Runs go to a pool of their own, so several
 * configurations run at once, one per core.
 *  - hardware.ts  the Hardware and Topology types, distance()
 *  - spec.ts      a Hardware as plain data, for posting to a pool thread
 *  - machine.ts   line coherence state, transfer calendars, latency table, sleepers, waits
 *  - calendar.ts  busy intervals of one line or lock in virtual time
 *  - holds.ts     lock holds and each kind's hand-off cost
 *  - memory.ts    VirtualMemory: one CPU's Memory, charging its clock
 *  - heap.ts      the scheduler's queue of CPUs by clock
 *  - random.ts    the seeded generator of skew and tie-breaks
 *  - simulate.ts  one run: roles, scheduler loop, window, sync, invariants
 *  - task.ts      the pool task: a configuration, timing and seed in, a run out
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { modelServices, type ModelConfig } from '../../model/config.js';
import { checkInvariants, finalSync } from '../../model/state.js';
import type { RunResources, RunTiming, SweepConfig, SweepLists, Target, TargetRun } from '../target.js';
import type { Hardware } from './hardware.js';
import { toSpec } from './spec.js';
import type { VirtualTask } from './task.js';

const NO_RESOURCES: RunResources = { fds: [], close: () => {} };

/** Compiled pool entry; under a TypeScript runner (tests) this module is .ts, so point at the build. */
function taskFile(): string {
  const here = import.meta.url;
  const rel = here.endsWith('.ts') ? '../../../dist/workers/virtual.js' : '../../../workers/virtual.js';
  return fileURLToPath(new URL(rel, here));
}

export function virtualTarget(hw: Hardware, jobs: number = os.availableParallelism()): Target {
  const spec = toSpec(hw);
  // By default one run per core: a run is one thread's work, and its figures are virtual time, whatever runs beside it.
  const threads = jobs;
  let pool: Piscina<VirtualTask, TargetRun> | null = null;
  const poolOf = (): Piscina<VirtualTask, TargetRun> =>
    (pool ??= new Piscina({ filename: taskFile(), minThreads: 1, maxThreads: threads, idleTimeout: 60_000 }));
  return {
    name: 'virtual',
    unavailable: () => null,
    configurations: (lists: SweepLists): SweepConfig[] =>
      lists.workloads.flatMap((workload) =>
        lists.journals.flatMap((journal) =>
          lists.strategies.flatMap((strategy) =>
            lists.threads.map((threads) => ({ workload, journal, strategy, threads })),
          ),
        ),
      ),
    notes: () => [
      `virtual time on ${spec.name} (${spec.topology.sockets}x${spec.topology.coresPerSocket}x${spec.topology.threadsPerCore})`,
    ],
    facts: { kernelVersion: '', fsType: '', mountOptions: '' },
    services: modelServices,
    sharedPages: (pages) => pages,
    // Virtual time is model time: a row records the time scale it ran at.
    timeScale: (requested) => requested,
    mode: 'threads',
    warmsModel: false,
    countsMinorFaults: false,
    unitsPerNs: 1,
    label: (c, cfg) => `virtual journal=${c.journal} lock=${cfg.lock} strategy=${c.strategy} threads=${c.threads}`,
    identity: (c, cfg) => ({ journal: c.journal, strategy: c.strategy, lock: cfg.lock }),
    open: () => NO_RESOURCES,
    settle: (sab: SharedArrayBuffer, cfg: ModelConfig) => {
      finalSync(sab, cfg);
      return checkInvariants(sab, cfg);
    },
    run: (cfg: ModelConfig, timing: RunTiming, seed: number): Promise<TargetRun> =>
      poolOf().run({ cfg, hardware: spec, warmupNs: timing.warmupSec * 1e9, windowNs: timing.durationSec * 1e9, seed }),
    parallelRuns: threads,
    close: async () => {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
}
