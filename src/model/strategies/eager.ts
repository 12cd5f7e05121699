import { S_TIMES } from '../timeflags.js';
import type { StrategyInfo } from './strategy.js';
import { IDLE } from './nothing.js';

/** 2013 default: a transaction only when the coarse clock, truncated to s_time_gran, has moved past mtime. */
export const eager: StrategyInfo = {
  fault: 'transaction only if the coarse clock (truncated to `--time-gran`) moved since the last update',
  writeback: 'nothing',
  sync: '',
  origin: '2013 default',
  iversion: false,
  make: () => ({
    ...IDLE,
    pageMkwrite: (k, ino) => {
      if (k.timeMoved(ino)) k.updateInode(ino, S_TIMES);
    },
  }),
};
