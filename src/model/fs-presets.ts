/**
 * Filesystem presets (`--preset`): a filesystem as a given kernel release had
 * it, expanded into the model's journal, timestamp strategy, journal hot-lock
 * kind and timestamp granularity. Each choice cites the kernel source it
 * comes from (file and function at a named tag); none was chosen by its
 * result. docs/reference/presets.md is generated from this table.
 */
import type { JournalName } from './journals/index.js';
import type { LockKind } from './locks/kinds.js';
import type { StrategyName } from './strategies/index.js';
import type { FaultPathName } from './fault-paths.js';

export interface FsPreset {
  readonly journal: JournalName;
  readonly strategy: StrategyName;
  /** Kind of the journal's hot lock (j_state_lock, xc_cil_lock). */
  readonly lock: LockKind;
  /** s_time_gran, nanoseconds. */
  readonly timeGranNs: number;
  /** Whose page_mkwrite a write fault runs (fault-paths.ts). */
  readonly faultPath: FaultPathName;
  /** The kernel release whose sources the preset follows. */
  readonly kernel: string;
  /** A configuration the report's machine did not run, kept to show what it would have cost. */
  readonly whatIf: boolean;
  /** One line for --help. */
  readonly about: string;
  /** Where each choice comes from: file and function at the kernel tag, or a tool's release. */
  readonly sources: readonly string[];
}

/** ext3 keeps seconds in its 128-byte inodes. */
const SECOND_NS = 1_000_000_000;

/**
 * 3.11's file_update_time(): `now = current_fs_time(inode->i_sb)` (the coarse clock truncated to s_time_gran);
 * a transaction only when `!timespec_equal(&inode->i_mtime, &now)` or ctime differs, or when IS_I_VERSION(inode)
 * (then inode_inc_iversion on every call). So without MS_I_VERSION the inode is logged once per coarse tick at
 * most (once per second with 1 s granularity): the `eager` strategy.
 */
const FILE_UPDATE_TIME_3_11 =
  'fs/inode.c file_update_time() at v3.11: logs only when mtime/ctime differ from current_fs_time() or IS_I_VERSION';
const SPINLOCK_3_11 =
  'arch/x86/include/asm/spinlock.h at v3.11: arch_spin_lock is a ticket lock (tickets since 2.6.25)';

export const FS_PRESETS = {
  'ext3-2013': {
    journal: 'jbd2',
    strategy: 'eager',
    lock: 'ticket',
    timeGranNs: SECOND_NS,
    faultPath: 'generic',
    kernel: 'v3.11',
    whatIf: false,
    about:
      'ext3 on Linux 3.11 (2013): jbd (jbd2 with j_state_lock a ticket spinlock), 128-byte inodes (1 s timestamps), no i_version',
    sources: [
      FILE_UPDATE_TIME_3_11,
      'fs/ext3/super.c ext3_fill_super() at v3.11: s_time_gran is never set, so it keeps the 1 s default of alloc_super(); 128-byte inodes have no nanosecond fields',
      'include/linux/jbd.h struct journal_s at v3.11: spinlock_t j_state_lock (jbd2 made it an rwlock_t in 2.6.39)',
      SPINLOCK_3_11,
      'fs/ext3/file.c ext3_file_operations at v3.11: .mmap = generic_file_mmap, so page_mkwrite is filemap_page_mkwrite (mm/filemap.c)',
    ],
  },
  'ext4-2013': {
    journal: 'jbd2',
    strategy: 'eager',
    lock: 'rw',
    timeGranNs: 1,
    faultPath: 'ext4',
    kernel: 'v3.11',
    whatIf: false,
    about:
      'ext4 on Linux 3.11, default mount: jbd2 (j_state_lock an rwlock), ns timestamps, no i_version (needs -o i_version)',
    sources: [
      FILE_UPDATE_TIME_3_11,
      'fs/ext4/super.c parse_options() at v3.11: MS_I_VERSION only with the `i_version` mount option (Opt_i_version)',
      'fs/ext4/super.c ext4_fill_super() at v3.11: s_time_gran = 1 for inodes of EXT4_GOOD_OLD_INODE_SIZE + extra isize (256-byte default)',
      'include/linux/jbd2.h struct journal_s at v3.11: rwlock_t j_state_lock',
    ],
  },
  'ext4-2013-iversion': {
    journal: 'jbd2',
    strategy: 'eager-iversion',
    lock: 'rw',
    timeGranNs: 1,
    faultPath: 'ext4',
    kernel: 'v3.11',
    whatIf: true,
    about: 'what-if: ext4 on Linux 3.11 mounted -o i_version: every write fault bumps i_version, a journal transaction',
    sources: [FILE_UPDATE_TIME_3_11, 'fs/ext4/super.c parse_options() at v3.11: Opt_i_version sets MS_I_VERSION'],
  },
  'xfs-2013': {
    journal: 'xfs-cil',
    strategy: 'eager',
    lock: 'ticket',
    timeGranNs: 1,
    faultPath: 'xfs',
    kernel: 'v3.11',
    whatIf: false,
    about:
      'XFS on Linux 3.11 with a v4 superblock (mkfs.xfs default until 2015): one global CIL under xc_cil_lock (a ticket spinlock), ns timestamps, no i_version',
    sources: [
      FILE_UPDATE_TIME_3_11,
      'fs/xfs/xfs_super.c xfs_fs_fill_super() at v3.11: MS_I_VERSION is set only `if (XFS_SB_VERSION_NUM(&mp->m_sb) == XFS_SB_VERSION_5)`',
      'xfsprogs 3.2.3 (2015) release notes: mkfs.xfs creates CRC-enabled (v5) filesystems by default; before it, v4',
      'fs/xfs/xfs_log_cil.c xlog_cil_insert_items() at v3.11: spin_lock(&cil->xc_cil_lock) around the CIL list insertion, under down_read(&cil->xc_ctx_lock)',
      SPINLOCK_3_11,
    ],
  },
  'xfs-2013-v5': {
    journal: 'xfs-cil',
    strategy: 'eager-iversion',
    lock: 'ticket',
    timeGranNs: 1,
    faultPath: 'xfs',
    kernel: 'v3.11',
    whatIf: true,
    about: 'what-if: XFS on Linux 3.11 with a v5 (CRC) superblock: MS_I_VERSION, so every write fault is a transaction',
    sources: [
      FILE_UPDATE_TIME_3_11,
      'fs/xfs/xfs_super.c xfs_fs_fill_super() at v3.11: v5 superblocks set MS_I_VERSION',
      'fs/xfs/xfs_log_cil.c xlog_cil_insert_items() at v3.11: xc_cil_lock',
    ],
  },
  'ext4-6.13': {
    journal: 'jbd2',
    strategy: 'multigrain-iversion',
    lock: 'rw',
    timeGranNs: 1,
    faultPath: 'ext4',
    kernel: 'v6.13',
    whatIf: false,
    about: 'ext4 on Linux 6.13: jbd2, multigrain timestamps, i_version always on (6.2) and bumped when queried',
    sources: [
      'fs/inode.c file_update_time() / inode_needs_update_time() at v6.13: coarse time unless ctime was queried (multigrain, FS_MGTIME)',
      'fs/ext4/super.c at v6.13: ext4_fs_type has FS_MGTIME; SB_I_VERSION always set (since v6.2)',
      'fs/iversion.c / include/linux/iversion.h inode_maybe_inc_iversion() at v6.13: bump only when I_VERSION_QUERIED (since v4.16)',
      'include/asm-generic/qrwlock.h at v6.13: j_state_lock is a queued rwlock (since v3.16)',
    ],
  },
  'xfs-6.13': {
    journal: 'xfs-cil-percpu',
    strategy: 'multigrain-iversion',
    lock: 'mcs',
    timeGranNs: 1,
    faultPath: 'xfs',
    kernel: 'v6.13',
    whatIf: false,
    about:
      'XFS on Linux 6.13: per-CPU CIL, queued (MCS) spinlocks, multigrain timestamps, i_version bumped when queried',
    sources: [
      'fs/xfs/xfs_log_cil.c xlog_cil_insert_items() at v6.13: per-CPU CIL lists (xlog_cil_pcp), no global xc_cil_lock on the commit path (since v5.20)',
      'kernel/locking/qspinlock.c at v6.13: queued (MCS-based) spinlocks since v4.2',
      'fs/xfs/xfs_super.c at v6.13: xfs_fs_type has FS_MGTIME; v5 superblocks always count changes',
    ],
  },
} as const satisfies Record<string, FsPreset>;

export type FsPresetName = keyof typeof FS_PRESETS;
export const FS_PRESET_NAMES = Object.keys(FS_PRESETS) as FsPresetName[];
