import { S_FINE, S_TIMES } from '../timeflags.js';
import type { StrategyInfo } from './strategy.js';
import { nothing } from './nothing.js';

/** Linux 6.13: coarse timestamps, but a fine-grained one (and a transaction) when ctime was read since it last changed. */
export const multigrain: StrategyInfo = {
  fault: 'coarse timestamps; fine-grained (and a transaction) when ctime was queried since the last change',
  writeback: 'nothing',
  origin: 'Linux 6.13 (2024)',
  make: () => ({
    pageMkwrite: (k, ino) => {
      if (k.ctimeQueried(ino)) k.updateInode(ino, S_TIMES | S_FINE);
      else if (k.timeMoved(ino)) k.updateInode(ino, S_TIMES);
    },
    writeback: nothing,
    getattr: nothing,
  }),
};
