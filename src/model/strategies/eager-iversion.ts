import { S_TIMES, S_VERSION } from '../timeflags.js';
import type { StrategyInfo } from './strategy.js';
import { IDLE } from './nothing.js';

/** 2013 ext4/XFS mounted with i_version: file_update_time dirtied the inode on every fault. */
export const eagerIversion: StrategyInfo = {
  fault: 'journal transaction on every fault: bump i_version, set mtime/ctime',
  writeback: 'nothing',
  sync: '',
  origin: '2013 ext4/XFS with i_version',
  iversion: true,
  make: () => ({ ...IDLE, pageMkwrite: (k, ino) => k.updateInode(ino, S_TIMES | S_VERSION) }),
};
