/**
 * Journals: how an inode update becomes durable. Each journal is one module
 * exporting a JournalPlugin (journal.ts): the Journal itself, its lock kind,
 * whether it commits, its initial state, its invariants and its diagnostic
 * line. The table below is the only list of them; adding a journal is its
 * module, its name in names.ts and one entry here (docs/extending.md).
 */
import type { Journal, JournalHost, JournalPlugin } from './journal.js';
import { JBD2 } from './jbd2.js';
import { NONE } from './none.js';
import { XFS_CIL, XFS_CIL_PERCPU } from './xfs-cil.js';
import type { JournalName } from './names.js';

export type { Journal, JournalHost, JournalPlugin } from './journal.js';

export const JOURNALS: Readonly<Record<JournalName, JournalPlugin>> = {
  jbd2: JBD2,
  'xfs-cil': XFS_CIL,
  'xfs-cil-percpu': XFS_CIL_PERCPU,
  none: NONE,
};

export { JOURNAL_NAMES, type JournalName } from './names.js';

export function makeJournal(name: JournalName, k: JournalHost): Journal {
  return JOURNALS[name].make(k);
}
