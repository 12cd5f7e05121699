import { IF_MTIME_PENDING } from '../layout.js';
import { S_TIMES, S_VERSION } from '../timeflags.js';
import type { StrategyInfo } from './strategy.js';
import { nothing } from './nothing.js';

/** Lutomirski 2013: remember that the mapping was written, update the times when its pages are written back. */
export const deferred: StrategyInfo = {
  fault: 'set an "mtime pending" bit on the mapping (atomic OR), no journal',
  writeback: 'if the bit was set: one transaction (times and i_version)',
  origin: "Lutomirski's 2013 patches (not merged)",
  make: () => ({
    pageMkwrite: (k, ino) => k.setFlag(ino, IF_MTIME_PENDING),
    writeback: (k, ino) => {
      if (k.testClearFlag(ino, IF_MTIME_PENDING)) k.updateInode(ino, S_TIMES | S_VERSION);
    },
    getattr: nothing,
  }),
};
