import type { Strategy, StrategyInfo } from './strategy.js';

/** A hook a strategy leaves empty. */
export const nothing = (): void => {};

/**
 * Every hook empty, in one fixed order: strategies spread it and override
 * what they use, so every Strategy object has the same shape (one hidden
 * class for the call sites in the kernel).
 */
export const IDLE: Strategy = {
  pageMkwrite: nothing,
  dirtyFromPte: nothing,
  writeback: nothing,
  munmap: nothing,
  msync: nothing,
  fsync: nothing,
  getattr: nothing,
};

/** A strategy that acts only at the write fault. */
export const onFault = (pageMkwrite: Strategy['pageMkwrite']): Strategy => ({ ...IDLE, pageMkwrite });

/** A strategy's table entry, where doing nothing at writeback and at sync goes unsaid. */
export type StrategyEntry = Omit<StrategyInfo, 'writeback' | 'sync'> &
  Partial<Pick<StrategyInfo, 'writeback' | 'sync'>>;

/** The entry with the unsaid parts filled in: nothing at writeback, nothing at munmap, msync or fsync. */
export const defineStrategy = (entry: StrategyEntry): StrategyInfo => ({ writeback: 'nothing', sync: '', ...entry });
