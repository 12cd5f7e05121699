import { S_TIMES, S_VERSION } from '../timeflags.js';
import { defineStrategy, onFault } from './nothing.js';

/** Linux 4.16: bump i_version only if someone read it since the last bump; timestamps stay coarse. */
export const iversionQueried = defineStrategy({
  fault:
    'transaction when the clock moved or i_version was read since its last bump; i_version bumped only in the latter case',
  origin: 'Linux 4.16 (2018)',
  iversion: true,
  make: () =>
    onFault((k, ino) => {
      const flags = (k.timeMoved(ino) ? S_TIMES : 0) | (k.iversionQueried(ino) ? S_VERSION : 0);
      if (flags !== 0) k.updateInode(ino, flags);
    }),
});
