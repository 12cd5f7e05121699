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
import { Piscina } from 'piscina';
import { modelServices } from '../../model/config.js';
import { everyCombination, modelKernelFacts } from '../model-kernel.js';
import { AbortError, InvariantError, RunError, abortReason } from '../run-errors.js';
import type { RunRequest, RunSample, Target, TargetRun } from '../target.js';
import { workerFile } from '../worker-file.js';
import type { Hardware } from './hardware.js';
import { formatTopology } from './hardware-presets.js';
import { toSpec } from './spec.js';
import type { VirtualTask } from './task.js';

export function virtualTarget(hw: Hardware, jobs: number = os.availableParallelism()): Target {
  const spec = toSpec(hw);
  // By default one run per core: a run is one thread's work, and its figures are virtual time, whatever runs beside it.
  const threads = jobs;
  let pool: Piscina<VirtualTask, TargetRun> | null = null;
  const poolOf = (): Piscina<VirtualTask, TargetRun> =>
    (pool ??= new Piscina({
      filename: workerFile('virtual'),
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 60_000,
    }));
  const simulate = ({ cfg, timing, seed = 1 }: RunRequest): Promise<TargetRun> =>
    poolOf().run({ cfg, hardware: spec, warmupNs: timing.warmupSec * 1e9, windowNs: timing.durationSec * 1e9, seed });
  return {
    name: 'virtual',
    unavailable: () => null,
    configurations: everyCombination,
    notes: () => [
      `virtual time on ${spec.name} (${spec.topology.sockets}x${spec.topology.coresPerSocket}x${spec.topology.threadsPerCore})`,
    ],
    // Virtual time is model time: a row records the time scale it ran at. Its CPUs are virtual, so they never
    // outnumber the cores.
    facts: (asked) =>
      modelKernelFacts(asked, { realWriters: false, hardware: hw.name, topology: formatTopology(hw.topology) }),
    identity: (c, cfg) => ({
      journal: c.journal,
      strategy: c.strategy,
      lock: cfg.lock,
      label: `virtual journal=${c.journal} lock=${cfg.lock} strategy=${c.strategy} threads=${c.threads}`,
    }),
    services: modelServices,
    sharedPages: (pages) => pages,
    // A profile nanosecond is a virtual nanosecond: nothing to calibrate.
    unitsPerNs: () => 1,
    parallelRuns: threads,
    // Nothing to warm up: a virtual run's figures are virtual time, which compiling on the way does not change.
    prepare: async () => {},
    run: async (request) => {
      if (request.signal?.aborted) throw new AbortError(abortReason(request.signal));
      return reported(simulate(request), request.signal);
    },
    close: async () => {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
}

/** A simulated run's broken invariants and failures, reported as a threads run's are. */
async function reported(run: Promise<TargetRun>, signal: AbortSignal | undefined): Promise<RunSample> {
  let got;
  try {
    got = await run;
  } catch (e) {
    throw new RunError(`worker failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (signal?.aborted) throw new AbortError(abortReason(signal));
  if (got.violations.length > 0) throw new InvariantError(got.violations);
  return got.sample;
}
