import { S_FINE, S_TIMES, S_VERSION } from '../timeflags.js';
import type { Strategy } from './strategy.js';
import { defineStrategy, onFault } from './nothing.js';

/**
 * Linux 6.13 multigrain timestamps (inode_set_ctime_current): the coarse
 * clock, never below a global floor (the latest fine-grained stamp handed
 * out), unless ctime was queried since it last changed and a coarse stamp
 * would not be later than it: then a fine-grained stamp, which raises the
 * floor. With `iversion`, i_version is also bumped when it was queried.
 */
export function multigrainStrategy(iversion: boolean): Strategy {
  return onFault((k, ino) => {
    const v = iversion && k.iversionQueried(ino) ? S_VERSION : 0;
    if (k.ctimeQueried(ino) && k.coarseHidesChange(ino)) k.updateInode(ino, S_TIMES | S_FINE | v);
    else if (k.timeMoved(ino)) k.updateInode(ino, S_TIMES | v);
    else if (v !== 0) k.updateInode(ino, v);
  });
}

/** Without i_version (a filesystem that does not keep it): the change attribute is the ctime. */
export const multigrain = defineStrategy({
  fault:
    'coarse timestamps (never below the global floor); a fine-grained one (and a transaction) when ctime was read since it last changed and a coarse stamp would not be later than it; the fine stamp raises the floor',
  origin: 'Linux 6.13 (2024)',
  iversion: false,
  make: () => multigrainStrategy(false),
});

/** 6.13 ext4/XFS: multigrain ctime, and i_version bumped (in a transaction) when queried. */
export const multigrainIversion = defineStrategy({
  fault: 'as `multigrain`, and i_version bumped (a transaction) when it was read since its last bump',
  origin: 'Linux 6.13 (2024) ext4/XFS',
  iversion: true,
  make: () => multigrainStrategy(true),
});
