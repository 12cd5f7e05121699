/**
 * Journals: how an inode update becomes durable. Each journal is one module
 * exporting a JournalPlugin (journal.ts): the Journal itself, its lock kind,
 * its filesystem's fault path, whether it commits, its own locks, its initial
 * state, its recovery after a crash, its invariants and its diagnostic line.
 * The table below is the only list of them, names included; adding a
 * journal is its module and one entry here (README.md, "Extending").
 */
import type { Journal, JournalHost, JournalPlugin } from './journal.js';
import { JBD2 } from './jbd2.js';
import { NONE } from './none.js';
import { XFS_CIL, XFS_CIL_PERCPU } from './xfs-cil.js';

export type { Journal, JournalHost, JournalLock, JournalPlugin } from './journal.js';

export const JOURNALS = {
  jbd2: JBD2,
  'xfs-cil': XFS_CIL,
  'xfs-cil-percpu': XFS_CIL_PERCPU,
  none: NONE,
} as const satisfies Record<string, JournalPlugin>;

export type JournalName = keyof typeof JOURNALS;
/** The journals' names, in the table's order: --journal's choices, the configuration's, the presets'. */
export const JOURNAL_NAMES = Object.keys(JOURNALS) as JournalName[];

export function makeJournal(name: JournalName, k: JournalHost): Journal {
  return JOURNALS[name].make(k);
}
