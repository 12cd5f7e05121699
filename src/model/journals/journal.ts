/**
 * The Journal interface, and the part of a CPU's kernel a journal works
 * through. Kept apart from the journals' registry (index.ts) and from the
 * Kernel class so that neither imports the other's module.
 */
import type { FaultPathName } from '../fault-paths.js';
import type { Layout } from '../layout.js';
import type { LockKind } from '../locks/kinds.js';
import type { LockContext, TtasLock } from '../locks/locks.js';
import type { Memory } from '../memory.js';
import type { StepCosts } from '../profiles.js';

/** What a journal reads of the run's configuration (config.ts ModelConfig has it). */
export interface JournalSettings {
  /** The hot lock's kind. */
  readonly lock: LockKind;
  readonly units: StepCosts;
}

export interface Journal {
  /** One inode change as a transaction: reserve, change the in-memory inode (setTimes flags), log it, release. */
  update(ino: number, flags: number): void;
  /** The committer's work: commit what the running transaction holds. Returns the items written (0: nothing to do). */
  commit(): number;
  /** Has a writer asked for an early commit (transaction full, log space short)? */
  commitRequested(): boolean;
}

/** What a journal may use of the CPU it runs on (the Kernel provides it). */
export interface JournalHost {
  readonly i32: Int32Array;
  readonly mem: Memory;
  readonly cfg: JournalSettings;
  readonly layout: Layout;
  readonly cpu: number;
  /** This CPU's counters line. */
  readonly ctr: number;
  readonly lockCtx: LockContext;
  readonly inodeLock: TtasLock;
  /** Change the in-memory inode under its lock. */
  setTimes(ino: number, flags: number): void;
  /** The same, with the inode lock already held. */
  setTimesLocked(ino: number, flags: number): void;
}

/** A lock of a journal's own in the journal area, beside the hot lock (J_HOT) that every journal has. */
export interface JournalLock {
  /** The kernel's name for it, as the invariants and the watchdog print it. */
  readonly name: string;
  /** Its slot, an offset from layout.journalBase. */
  readonly slot: number;
}

/**
 * Everything the model knows about one journal, in the journal's own module;
 * the registry (index.ts) lists one of these per journal and nothing else
 * names a journal. `j` below is the journal's base in shared memory
 * (layout.journalBase); the checks run while no role runs.
 */
export interface JournalPlugin {
  /** One line for --help and the docs. */
  readonly about: string;
  /** The journal of one CPU's kernel. */
  readonly make: (k: JournalHost) => Journal;
  /** The kind of its hot lock under --lock auto: the kernel's own for that era. */
  readonly lock: LockKind;
  /** The fault path of its filesystem, the run's unless a preset or the configuration names another (fault-paths.ts). */
  readonly faultPath: FaultPathName;
  /** Whether it commits: a commit thread runs beside the writers, fsync asks it for a commit, and after sync every inode's committed copy must equal memory. */
  readonly committer: boolean;
  /** Its locks beyond the hot lock: none may be left held after the final sync, and the watchdog reports each. */
  readonly locks: readonly JournalLock[];
  /** Its initial state, written once before any role runs. */
  init(i32: Int32Array, j: number): void;
  /** After a crash, on a quiescent model: its state as replaying the log up to the last commit leaves it (crash.ts). */
  recover(i32: Int32Array, l: Layout): void;
  /** After the final sync: one line per broken invariant of its own state (none when quiescent and consistent). */
  invariants(i32: Int32Array, j: number): string[];
  /** The watchdog's line about its state when a run hangs. */
  diagnose(i32: Int32Array, j: number): string;
}
