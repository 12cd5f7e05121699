import { defineStrategy, IDLE } from './nothing.js';

export const none = defineStrategy({
  fault: 'nothing (control: tmpfs-like upper bound)',
  origin: 'control',
  iversion: false,
  make: () => ({ ...IDLE }),
});
