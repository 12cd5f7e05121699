/**
 * The kernel target's roles on a pool thread: the writer is page_fault3's
 * loop in C (native addon) over a real file, publishing the same counters
 * as the model's writer and stopping on the same phase word.
 */
import { CTL_PHASE, C_FAULTS, C_MINOR_FAULTS, C_PASSES, C_STORES, PHASE_STOP } from '../../model/layout.js';
import { MODEL_ROLES, writerLeaves, type RoleTable } from '../../model/roles.js';
import { loadNative } from './native.js';

export const KERNEL_ROLES: RoleTable = {
  ...MODEL_ROLES,
  writer: (k, task) => {
    const native = loadNative();
    try {
      if (!native.ok) throw new Error(`the kernel target is unavailable: ${native.reason}`);
      native.addon.writerLoop(k.i32, task.fd ?? -1, k.cfg.filePages, {
        stop: CTL_PHASE,
        stopValue: PHASE_STOP,
        faults: k.ctr + C_FAULTS,
        stores: k.ctr + C_STORES,
        passes: k.ctr + C_PASSES,
        minflt: k.ctr + C_MINOR_FAULTS,
      });
    } finally {
      writerLeaves(k);
    }
  },
};
