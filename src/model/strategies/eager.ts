import { S_TIMES } from '../timeflags.js';
import type { StrategyInfo } from './strategy.js';
import { nothing } from './nothing.js';

/** 2013 default: a transaction only when the coarse clock has moved past mtime. */
export const eager: StrategyInfo = {
  fault: 'transaction only if the coarse clock moved since the last update',
  writeback: 'nothing',
  origin: '2013 default',
  make: () => ({
    pageMkwrite: (k, ino) => {
      if (k.timeMoved(ino)) k.updateInode(ino, S_TIMES);
    },
    writeback: nothing,
    getattr: nothing,
  }),
};
