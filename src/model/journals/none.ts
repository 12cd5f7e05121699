import type { Journal, JournalHost } from './journal.js';

/** tmpfs: an inode update changes memory and nothing else. */
export class NoJournal implements Journal {
  private readonly k: JournalHost;

  constructor(k: JournalHost) {
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
