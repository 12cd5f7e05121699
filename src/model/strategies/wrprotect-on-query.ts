import { iversionQueried } from './iversion-queried.js';
import { defineStrategy, IDLE } from './nothing.js';

/**
 * Not in any kernel: when getattr reads the change attribute of a file that
 * has dirty pages, write-protect them, so the next store to any of them
 * faults and (the counter having been queried) bumps i_version. The fault
 * side is iversion-queried's. It closes the window of a store to a page that
 * is still dirty and writable, at the price of a walk over the dirty pages
 * per getattr (an rmap walk each, and for each live PTE a write-protect and
 * a TLB shoot-down that interrupts every CPU mapping the file) and a fault
 * per page stored after it.
 */
export const wrprotectOnQuery = defineStrategy({
  fault:
    'as `iversion-queried`; and when getattr reads the change attribute of a file with dirty pages, it first write-protects them, so the next store to each faults and bumps i_version',
  origin: 'new here',
  iversion: true,
  make: () => {
    const base = iversionQueried.make();
    return {
      ...IDLE,
      pageMkwrite: base.pageMkwrite,
      // Mark the counter queried first, then protect: a store after the protection faults and, seeing the
      // mark, bumps i_version; a store before it happened before this getattr's snapshot.
      getattr: (k, ino) => {
        k.markQueried(ino);
        k.writeProtectDirty(ino);
      },
    };
  },
});
