/**
 * bench:fs's fixed facts: the file systems it can make, how (mkfs flags, the
 * package that provides each mkfs), their minimum sizes, and how big a file
 * system the bench's files need.
 */

export const FS_NAMES = ['ext4', 'xfs', 'btrfs', 'tmpfs'] as const;
export type FsName = (typeof FS_NAMES)[number];
/** File systems made on a loop device (tmpfs needs neither image nor device). */
export type LoopFs = Exclude<FsName, 'tmpfs'>;

/** Smallest file system worth making, MiB: mkfs.xfs refuses below 300 MiB, small btrfs switches to mixed block groups. */
export const FS_MIN_MIB: Readonly<Record<FsName, number>> = { ext4: 64, xfs: 512, btrfs: 512, tmpfs: 16 };
/** Quiet and forced (the image is brand new, there is nothing to protect on it). */
export const MKFS_FLAGS: Readonly<Record<LoopFs, readonly string[]>> = {
  ext4: ['-q', '-F'],
  xfs: ['-q', '-f'],
  btrfs: ['-q', '-f'],
};
/** Debian package that provides mkfs.<fs>, for the "missing tool" reason. */
export const FS_PACKAGE: Readonly<Record<LoopFs, string>> = {
  ext4: 'e2fsprogs',
  xfs: 'xfsprogs',
  btrfs: 'btrfs-progs',
};

export const PAGE_BYTES = 4096;
export const MIB = 1024 * 1024;
/** Headroom over the bytes the bench's files need. */
export const HEADROOM = 1.25;
export const MAX_SIZE_MIB = 1024 * 1024; // 1 TiB: sparse, but the host must hold what gets written
export const DEFAULT_MOUNT_OPTIONS = ['relatime', 'lazytime'] as const;

/** What `losetup --find --show` prints for a loop device. */
export const LOOP_DEV_RE = /^\/dev\/loop\d+$/;

/** MiB the bench's files take on one file system, with headroom: every writer's file (separate-file) × 1.25. */
export function dataMib(threads: readonly number[], pages: number): number {
  return Math.ceil((Math.max(...threads) * pages * PAGE_BYTES * HEADROOM) / MIB);
}

/** The file system size: the files with headroom plus the file system's minimum (its metadata, journal, log). */
export function imageSizeMib(fsName: FsName, threads: readonly number[], pages: number): number {
  return Math.min(MAX_SIZE_MIB, dataMib(threads, pages) + FS_MIN_MIB[fsName]);
}
