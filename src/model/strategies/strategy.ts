/**
 * The Strategy interface: how a kernel keeps mtime, ctime and i_version up
 * to date, as hooks the model kernel calls; and the part of the kernel a
 * strategy may call back. Kept apart from the registry (index.ts) and from
 * the Kernel class, so that neither imports the other's module.
 */
export interface Strategy {
  /** At the write fault, in page_mkwrite, before the page is locked (file_update_time). */
  pageMkwrite(k: StrategyKernel, ino: number): void;
  /** After the flusher wrote an inode's dirty pages. */
  writeback(k: StrategyKernel, ino: number): void;
  /** At getattr, before the attributes are read (so what it changes is in the snapshot). */
  getattr(k: StrategyKernel, ino: number): void;
}

export interface StrategyInfo {
  readonly fault: string;
  readonly writeback: string;
  readonly origin: string;
  readonly make: () => Strategy;
}

/** The kernel operations a strategy's hooks may use (the Kernel provides them). */
export interface StrategyKernel {
  /** inode_needs_update_time: has the coarse clock moved past the file's mtime? */
  timeMoved(ino: number): boolean;
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
}
