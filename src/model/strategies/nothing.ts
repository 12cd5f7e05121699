import type { Strategy } from './strategy.js';

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
