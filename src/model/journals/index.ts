/**
 * Journals: how an inode update becomes durable. Each journal is one module
 * behind the Journal interface; the table below is the only list of them.
 */
import type { Kernel } from '../kernel.js';
import { Jbd2 } from './jbd2.js';
import { NoJournal } from './none.js';
import { XfsCil } from './xfs-cil.js';

export interface Journal {
  /** One inode change as a transaction: reserve, change the in-memory inode (setTimes flags), log it, release. */
  update(ino: number, flags: number): void;
  /** The committer's work: commit what the running transaction holds. Returns the items written (0: nothing to do). */
  commit(): number;
  /** Has a writer asked for an early commit (transaction full, log space short)? */
  commitRequested(): boolean;
}

export const JOURNALS = {
  jbd2: { make: (k: Kernel): Journal => new Jbd2(k), about: "ext4's jbd2: handles under j_state_lock, one running transaction, a commit thread" },
  'xfs-cil': { make: (k: Kernel): Journal => new XfsCil(k, false), about: 'XFS 2013: grant-head CAS, ILOCK, insertion into one global CIL under xc_cil_lock' },
  'xfs-cil-percpu': { make: (k: Kernel): Journal => new XfsCil(k, true), about: 'XFS 2021: per-CPU CIL lists, no global lock on the commit path' },
  none: { make: (k: Kernel): Journal => new NoJournal(k), about: 'no journal (tmpfs-like): inode changes stay in memory' },
} as const;

export type JournalName = keyof typeof JOURNALS;
export const JOURNAL_NAMES = Object.keys(JOURNALS) as JournalName[];

export function makeJournal(name: JournalName, k: Kernel): Journal {
  return JOURNALS[name].make(k);
}
