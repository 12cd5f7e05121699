import { S_TIMES, S_VERSION } from '../timeflags.js';
import { defineStrategy, onFault } from './nothing.js';

/** 2013 ext4/XFS mounted with i_version: file_update_time dirtied the inode on every fault. */
export const eagerIversion = defineStrategy({
  fault: 'journal transaction on every fault: bump i_version, set mtime/ctime',
  origin: '2013 ext4/XFS with i_version',
  iversion: true,
  make: () => onFault((k, ino) => k.updateInode(ino, S_TIMES | S_VERSION)),
});
