/**
 * Filesystem presets (`--preset`): a filesystem as a given kernel had it,
 * expanded into the model's journal, timestamp strategy, journal hot-lock
 * kind and timestamp granularity. The README's "Filesystem presets" table
 * gives the reason for each choice; none was chosen by its result.
 */
import type { JournalName } from './journals/names.js';
import type { LockKind } from './locks/kinds.js';
import type { StrategyName } from './strategies/index.js';

export interface FsPreset {
  readonly journal: JournalName;
  readonly strategy: StrategyName;
  /** Kind of the journal's hot lock (j_state_lock, xc_cil_lock). */
  readonly lock: LockKind;
  /** s_time_gran, nanoseconds. */
  readonly timeGranNs: number;
  /** One line for --help. */
  readonly about: string;
}

/** ext3 keeps seconds in its 128-byte inodes. */
const SECOND_NS = 1_000_000_000;

export const FS_PRESETS = {
  // jbd (ext3's journal) has jbd2's handle, buffer and commit path; its j_state_lock is a spinlock
  // (jbd2 made it an rwlock in 2011), and 2013 spinlocks were ticket locks.
  'ext3-2013': {
    journal: 'jbd2',
    strategy: 'eager',
    lock: 'ticket',
    timeGranNs: SECOND_NS,
    about: 'ext3 on Linux 3.x (2013): jbd (jbd2 with j_state_lock a ticket spinlock), 128-byte inodes (1 s timestamps), no i_version',
  },
  // ext4's default mount in 2013 had no i_version (the iversion option was off until 6.2).
  'ext4-2013': {
    journal: 'jbd2',
    strategy: 'eager',
    lock: 'rw',
    timeGranNs: 1,
    about: 'ext4 on Linux 3.x, default mount: jbd2 (j_state_lock an rwlock), ns timestamps, no i_version',
  },
  'ext4-2013-iversion': {
    journal: 'jbd2',
    strategy: 'eager-iversion',
    lock: 'rw',
    timeGranNs: 1,
    about: 'ext4 on Linux 3.x mounted -o i_version: every write fault bumps i_version, a journal transaction',
  },
  // XFS's v5 inodes carry a change counter (di_changecount) that every logged change bumps.
  'xfs-2013': {
    journal: 'xfs-cil',
    strategy: 'eager-iversion',
    lock: 'ticket',
    timeGranNs: 1,
    about: 'XFS on Linux 3.x: one global CIL under xc_cil_lock (a ticket spinlock), ns timestamps, i_version always (v5 inodes)',
  },
  // 6.13: multigrain ctime on ext4 and XFS; i_version bumped only when queried (4.16); j_state_lock a
  // queued rwlock (3.16), which the model's writer-preferring rw lock stands for.
  'ext4-6.13': {
    journal: 'jbd2',
    strategy: 'multigrain-iversion',
    lock: 'rw',
    timeGranNs: 1,
    about: 'ext4 on Linux 6.13: jbd2, multigrain timestamps, i_version always on (6.2) and bumped when queried',
  },
  // The per-CPU CIL (about 2021); spinlocks are queued (MCS-like) since 4.2.
  'xfs-6.13': {
    journal: 'xfs-cil-percpu',
    strategy: 'multigrain-iversion',
    lock: 'mcs',
    timeGranNs: 1,
    about: 'XFS on Linux 6.13: per-CPU CIL, queued (MCS) spinlocks, multigrain timestamps, i_version bumped when queried',
  },
} as const satisfies Record<string, FsPreset>;

export type FsPresetName = keyof typeof FS_PRESETS;
export const FS_PRESET_NAMES = Object.keys(FS_PRESETS) as FsPresetName[];
