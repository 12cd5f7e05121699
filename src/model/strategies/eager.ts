import { S_TIMES } from '../timeflags.js';
import { defineStrategy, onFault } from './nothing.js';

/** 2013 default: a transaction only when the coarse clock, truncated to s_time_gran, has moved past mtime. */
export const eager = defineStrategy({
  fault: 'transaction only if the coarse clock (truncated to `--time-gran`) moved since the last update',
  origin: '2013 default',
  iversion: false,
  make: () =>
    onFault((k, ino) => {
      if (k.timeMoved(ino)) k.updateInode(ino, S_TIMES);
    }),
});
