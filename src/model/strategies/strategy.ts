/**
 * The Strategy interface: how a kernel keeps mtime, ctime and i_version up
 * to date, as hooks the model kernel calls; and the part of the kernel a
 * strategy may call back. Kept apart from the registry (index.ts) and from
 * the Kernel class, so that neither imports the other's module.
 */
export interface Strategy {
  /** At the write fault, in page_mkwrite, before the page is locked (file_update_time). */
  pageMkwrite(k: StrategyKernel, ino: number): void;
  /**
   * A PTE's dirty bit was moved to its page (set_page_dirty_from_pte): page_mkclean
   * at writeback, at msync or in a query walk, and the zap at munmap or exit.
   */
  dirtyFromPte(k: StrategyKernel, ino: number): void;
  /** After the flusher (or a sync) wrote an inode's dirty pages (do_writepages). */
  writeback(k: StrategyKernel, ino: number): void;
  /** munmap or exit: after the mapping's PTEs were zapped, as its VMA is removed (remove_vma). */
  munmap(k: StrategyKernel, ino: number): void;
  /** msync(MS_ASYNC) on one writer's mapping. MS_SYNC is fsync (vfs_fsync) and runs the fsync hook. */
  msync(k: StrategyKernel, ino: number, m: MappingRange): void;
  /** fsync, after the file's dirty pages were written back. */
  fsync(k: StrategyKernel, ino: number): void;
  /** At getattr, before the attributes are read (so what it changes is in the snapshot). */
  getattr(k: StrategyKernel, ino: number): void;
}

/** The pages of one writer's mapping an msync covers: `count` pages ending at `last`, wrapping. */
export interface MappingRange {
  writer: number;
  /** The mapping's generation: its live PTEs hold it. */
  gen: number;
  last: number;
  count: number;
}

export interface StrategyInfo {
  readonly fault: string;
  readonly writeback: string;
  /** What it does at munmap/exit, msync and fsync ('' where nothing). */
  readonly sync: string;
  readonly origin: string;
  /** Keeps i_version, so an NFSv4 server hands it out as the change attribute (else the ctime). */
  readonly iversion: boolean;
  readonly make: () => Strategy;
}

/** The kernel operations a strategy's hooks may use (the Kernel provides them). */
export interface StrategyKernel {
  /** inode_needs_update_time: has the coarse clock (truncated to s_time_gran, at least the multigrain floor) moved past mtime? */
  timeMoved(ino: number): boolean;
  /** Multigrain: would a coarse stamp fail to show a change (it is not later than the current ctime)? */
  coarseHidesChange(ino: number): boolean;
  /** Was i_version read since its last increment? */
  iversionQueried(ino: number): boolean;
  /** Multigrain: was ctime read since it last changed? */
  ctimeQueried(ino: number): boolean;
  setFlag(ino: number, flag: number): void;
  /** Clear an inode flag and say whether it was set. */
  testClearFlag(ino: number, flag: number): boolean;
  /** One journalled inode update with setTimes flags. */
  updateInode(ino: number, flags: number): void;
  /** Timestamps changed in memory only (lazytime). */
  updateTimesLazy(ino: number): void;
  /** Mark i_version and ctime as queried. */
  markQueried(ino: number): void;
  /** Write-protect the inode's dirty pages; returns how many. */
  writeProtectDirty(ino: number): number;
  /** page_mkclean every page of an msync range whose PTE in that mapping is live; returns how many. */
  mkcleanMapping(m: MappingRange): number;
}
