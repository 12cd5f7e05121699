import { IF_DIRTY_TIME } from '../layout.js';
import { S_TIMES, S_VERSION } from '../timeflags.js';
import type { StrategyInfo } from './strategy.js';
import { onFault } from './nothing.js';

/**
 * lazytime with i_version kept (4.16 and later: ext4 since 6.2 always keeps
 * it). generic_update_time bumps i_version only when it was queried since its
 * last bump (inode_maybe_inc_iversion), and such a bump dirties the inode for
 * the journal (I_DIRTY_SYNC), which carries the in-memory timestamps with it;
 * otherwise the timestamps change in memory only, as lazytime.
 */
export const lazytimeIversion: StrategyInfo = {
  fault:
    'as `lazytime`, but when i_version was read since its last bump: bump it, in a transaction that also logs the in-memory times',
  writeback: 'as `lazytime`',
  sync: 'fsync journals them',
  origin: 'Linux 4.16 (2018) lazytime with i_version',
  iversion: true,
  make: () =>
    onFault((k, ino) => {
      const moved = k.timeMoved(ino);
      if (k.iversionQueried(ino)) {
        // The journalled inode holds the in-memory times too: nothing is left for I_DIRTY_TIME to flush.
        k.testClearFlag(ino, IF_DIRTY_TIME);
        k.updateInode(ino, (moved ? S_TIMES : 0) | S_VERSION);
      } else if (moved) {
        k.updateTimesLazy(ino);
      }
    }),
};
