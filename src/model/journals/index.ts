/**
 * Journals: how an inode update becomes durable. Each journal is one module
 * behind the Journal interface; the table below is the only list of them.
 */
import type { Journal, JournalHost } from './journal.js';
import { Jbd2 } from './jbd2.js';
import { NoJournal } from './none.js';
import { XfsCil } from './xfs-cil.js';
import type { JournalName } from './names.js';

export type { Journal, JournalHost } from './journal.js';

export const JOURNALS = {
  jbd2: { make: (k: JournalHost): Journal => new Jbd2(k), about: "ext4's jbd2: handles under j_state_lock, one running transaction, a commit thread" },
  'xfs-cil': { make: (k: JournalHost): Journal => new XfsCil(k, false), about: 'XFS 2013: grant-head CAS, ILOCK, insertion into one global CIL under xc_cil_lock' },
  'xfs-cil-percpu': { make: (k: JournalHost): Journal => new XfsCil(k, true), about: 'XFS 2021: per-CPU CIL lists, no global lock on the commit path' },
  none: { make: (k: JournalHost): Journal => new NoJournal(k), about: 'no journal (tmpfs-like): inode changes stay in memory' },
} as const satisfies Record<JournalName, { make: (k: JournalHost) => Journal; about: string }>;

export { JOURNAL_NAMES, type JournalName } from './names.js';

export function makeJournal(name: JournalName, k: JournalHost): Journal {
  return JOURNALS[name].make(k);
}
