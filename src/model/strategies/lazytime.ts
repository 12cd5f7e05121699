import type { StrategyInfo } from './strategy.js';
import { nothing } from './nothing.js';

/**
 * lazytime (Linux 4.0): timestamps change in memory (I_DIRTY_TIME) and reach
 * the journal on sync, eviction or after 24 h. i_version is not kept (ext4
 * without the iversion mount option): with it, each bump is a transaction,
 * which is eager-iversion again.
 */
export const lazytime: StrategyInfo = {
  fault: 'update timestamps in memory only when the coarse clock moved; no i_version, no journal',
  writeback: 'journal the timestamps after 24 h (scaled) or at sync',
  origin: 'Linux 4.0 (2015)',
  make: () => ({
    pageMkwrite: (k, ino) => {
      if (k.timeMoved(ino)) k.updateTimesLazy(ino);
    },
    writeback: nothing,
    getattr: nothing,
  }),
};
