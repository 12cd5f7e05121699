import type { Journal, JournalHost, JournalPlugin } from './journal.js';

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

/** No journal as a plugin: nothing to commit, so no commit thread and no committed copy to check; its lock is only the hot-lock slot's default. */
export const NONE: JournalPlugin = {
  about: 'no journal (tmpfs-like): inode changes stay in memory',
  make: (k) => new NoJournal(k),
  lock: 'ttas',
  faultPath: 'generic',
  committer: false,
  locks: [],
  init: () => undefined,
  recover: () => undefined,
  invariants: () => [],
  diagnose: () => 'no journal: inode changes stay in memory',
};
