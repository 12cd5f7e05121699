import { IF_CMTIME } from '../layout.js';
import { S_TIMES, S_VERSION } from '../timeflags.js';
import type { StrategyInfo, StrategyKernel } from './strategy.js';
import { IDLE } from './nothing.js';

/**
 * mapping_flush_cmtime: if a PTE's dirty bit reached one of the file's pages
 * since the last flush, update mtime, ctime and i_version in one transaction
 * (inode_update_time_writable; with i_version kept, every flush syncs).
 */
const flush = (k: StrategyKernel, ino: number): void => {
  if (k.testClearFlag(ino, IF_CMTIME)) k.updateInode(ino, S_TIMES | S_VERSION);
};

/**
 * Lutomirski's patches (RFC Dec 2012, v3 Aug 2013, not merged): no time
 * update at the fault (page_mkwrite still write-protects clean pages, for
 * dirty tracking). When a PTE's dirty bit is moved to its page (page_mkclean
 * at writeback, the zap at munmap or exit), AS_CMTIME is set on the mapping;
 * the times are updated when it is flushed: after writeback, at munmap/exit,
 * at fsync and MS_SYNC (both through writeback), and, from v3, at
 * MS_ASYNC, which first page_mkcleans every writable page of the range.
 */
export const deferred: StrategyInfo = {
  fault: 'no time update (the fault still write-protects clean pages, for dirty tracking)',
  writeback:
    'page_mkclean moves each dirty PTE bit to its page and sets AS_CMTIME on the mapping; after the pages are written, if set: one transaction (times and i_version)',
  sync: 'munmap/exit: the zap sets AS_CMTIME, then one transaction; msync(MS_ASYNC): page_mkclean every writable page of the range (the next store to each faults again), then the same; fsync and MS_SYNC: through writeback',
  origin: "Lutomirski's patches, Dec 2012 RFC and Aug 2013 v3 (not merged)",
  iversion: true,
  make: () => ({
    ...IDLE,
    dirtyFromPte: (k, ino) => k.setFlag(ino, IF_CMTIME),
    writeback: flush,
    munmap: flush,
    msync: (k, ino, m) => {
      k.mkcleanMapping(m);
      flush(k, ino);
    },
    fsync: flush,
  }),
};
