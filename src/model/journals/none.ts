import type { Kernel } from '../kernel.js';
import type { Journal } from './index.js';

/** tmpfs: an inode update changes memory and nothing else. */
export class NoJournal implements Journal {
  private readonly k: Kernel;

  constructor(k: Kernel) {
    this.k = k;
  }

  update(ino: number, flags: number): void {
    this.k.setTimes(ino, flags);
  }

  commit(): number {
    return 0;
  }

  commitRequested(): boolean {
    return false;
  }
}
