import type { StrategyInfo } from './strategy.js';
import { nothing } from './nothing.js';

export const none: StrategyInfo = {
  fault: 'nothing (control: no timestamps kept, tmpfs-like upper bound)',
  writeback: 'nothing',
  origin: 'control',
  make: () => ({ pageMkwrite: nothing, writeback: nothing, getattr: nothing }),
};
