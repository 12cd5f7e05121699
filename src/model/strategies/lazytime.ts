import type { StrategyInfo } from './strategy.js';
import { onFault } from './nothing.js';

/**
 * lazytime (Linux 4.0): timestamps change in memory (I_DIRTY_TIME) and reach
 * the journal on sync, fsync, eviction or after 24 h. i_version is not kept
 * (ext4 before 6.2 without the iversion mount option); lazytime-iversion is
 * the same with it.
 */
export const lazytime: StrategyInfo = {
  fault: 'timestamps in memory only, when the coarse clock moved',
  writeback: 'journalled at sync or after 24 h (scaled)',
  sync: 'fsync journals them',
  origin: 'Linux 4.0 (2015)',
  iversion: false,
  make: () =>
    onFault((k, ino) => {
      if (k.timeMoved(ino)) k.updateTimesLazy(ino);
    }),
};
