import type { StrategyInfo } from './strategy.js';
import { IDLE } from './nothing.js';

export const none: StrategyInfo = {
  fault: 'nothing (control: tmpfs-like upper bound)',
  writeback: 'nothing',
  sync: '',
  origin: 'control',
  iversion: false,
  make: () => ({ ...IDLE }),
};
