/**
 * The kernel target's roles on a pool thread. The writer is page_fault3's
 * loop in C (native addon) over a real file (rewrite: mapped once),
 * publishing the same counters as the model's writer, sampling store times
 * into the same ring, and stopping on the same phase word; in processes
 * mode the loop runs in a forked child of its own and this thread relays.
 * The observer fstats every file of the run (observer.ts).
 */
import {
  CTL_EPOCH_F64,
  CTL_PHASE,
  C_FAULTS,
  C_MINOR_FAULTS,
  C_PASSES,
  C_SAMPLES_DROPPED,
  C_SAMPLE_HEAD,
  C_STORES,
  PHASE_STOP,
  SAMPLE_EVERY,
  SAMPLE_RING,
  sampleRingAt,
  sampleTailAt,
} from '../../model/layout.js';
import { MODEL_ROLES, observeWith, writerLeaves, type RoleTable } from '../../model/roles.js';
import { remapsEveryPass } from '../../model/workloads.js';
import { loadNative, type NativeAddon, type WriterIndexes } from './native.js';
import { KernelObserver } from './observer.js';

function addon(): NativeAddon {
  const native = loadNative();
  if (!native.ok) throw new Error(`the kernel target is unavailable: ${native.reason}`);
  return native.addon;
}

export const KERNEL_ROLES: RoleTable = {
  ...MODEL_ROLES,
  writer: (k, task) => {
    try {
      const a = addon();
      const w = k.cpu;
      const idx: WriterIndexes = {
        stop: CTL_PHASE,
        stopValue: PHASE_STOP,
        faults: k.ctr + C_FAULTS,
        stores: k.ctr + C_STORES,
        passes: k.ctr + C_PASSES,
        minflt: k.ctr + C_MINOR_FAULTS,
        rewrite: remapsEveryPass(k.cfg.workload) ? 0 : 1,
        // The same sampling as the model's writers (WriterCursor): only when an observer reads the rings.
        ...(k.cfg.observerIntervalUs > 0
          ? {
              sampleEvery: SAMPLE_EVERY,
              ring: sampleRingAt(k.layout, w),
              ringLength: SAMPLE_RING,
              sampleHead: k.ctr + C_SAMPLE_HEAD,
              sampleTail: sampleTailAt(k.layout, w),
              samplesDropped: k.ctr + C_SAMPLES_DROPPED,
              // Set by the coordinator before it released the barrier we have passed.
              epochMs: new Float64Array(k.i32.buffer)[CTL_EPOCH_F64]!,
            }
          : {}),
      };
      const loop = task.mode === 'processes' ? a.processWriterLoop : a.writerLoop;
      loop(k.i32, task.fd ?? -1, k.cfg.filePages, idx);
    } finally {
      writerLeaves(k);
    }
  },
  observer: (k, task, inject) => observeWith(k, inject, new KernelObserver(k, addon(), task.files ?? [])),
};
