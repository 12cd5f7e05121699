import fs from 'node:fs';
import path from 'node:path';

/**
 * Cost profiles: how much emulated work (nanoseconds) each kernel step spends,
 * so that the ratio of fault cost to journal cost resembles a real kernel.
 * Profiles are data; the harness turns nanoseconds into loop counts once per
 * process by calibrating the work loop (see work.ts).
 */
export interface CostProfile {
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** Exception entry, handle_mm_fault, PTE install: outside any lock. */
  readonly faultEntryNs: number;
  /** page_mkwrite body on the generic path (filemap_page_mkwrite, lock_page held): set_page_dirty. Every fault path spends it. */
  readonly mkwriteNs: number;
  /** ext4's page_mkwrite work over the generic path's (the buffer-head walk of __block_page_mkwrite), per fault on the ext4 path. */
  readonly ext4MkwriteNs: number;
  /** XFS's page_mkwrite work over the generic path's (block_page_mkwrite's buffer-head walk), per fault on the xfs path. */
  readonly xfsMkwriteNs: number;
  /** mmap + munmap syscalls, once per pass over the file. */
  readonly mmapNs: number;
  /** Journal handle start (jbd2 start_this_handle, xfs_trans_alloc) outside the hot lock. */
  readonly handleStartNs: number;
  /** Journal handle stop (jbd2_journal_stop, xfs_trans_commit bookkeeping). */
  readonly handleStopNs: number;
  /** Copying the inode into its journalled buffer (ext4_mark_iloc_dirty, xfs_trans_log_inode), under the buffer or inode lock. */
  readonly inodeDirtyNs: number;
  /** Work done while holding the journal's global hot lock (j_state_lock read side, xc_cil_lock). */
  readonly hotLockNs: number;
  /** Journal commit (jbd2 commit, CIL push): fixed part. */
  readonly commitNs: number;
  /** Journal commit: per buffer / log item written. */
  readonly commitPerItemNs: number;
  /** Writeback of one page (submit_bio, end_page_writeback). */
  readonly pageWriteNs: number;
  /** One getattr by the observer. */
  readonly getattrNs: number;
  /** msync(2) entry, exit and VMA lookup, before any work on pages. */
  readonly msyncNs: number;
  /** page_mkclean's reverse-map walk for one page: i_mmap lock, interval-tree lookup, page-table walk to each PTE. */
  readonly rmapWalkNs: number;
  /** Write-protecting one live PTE (ptep_clear_flush, pte_wrprotect, pte_mkclean) with its local TLB invalidation. */
  readonly pteProtectNs: number;
  /** The initiator's share of a TLB shoot-down of one page: send the IPIs and wait for every target's acknowledgement. */
  readonly tlbShootdownNs: number;
  /** A target's share: the interrupt a CPU mapping the file takes to flush its TLB entry. */
  readonly ipiNs: number;
}

/** A profile's step costs alone, as a run reads them (in work-loop units once resolved). */
export type StepCosts = { readonly [K in Exclude<keyof CostProfile, 'name' | 'version' | 'description'>]: number };

export const PROFILES = {
  zero: {
    name: 'zero',
    version: 1,
    description: 'No emulated work: every step costs only its Atomics operations. Measures the harness itself.',
    faultEntryNs: 0,
    mkwriteNs: 0,
    ext4MkwriteNs: 0,
    xfsMkwriteNs: 0,
    mmapNs: 0,
    handleStartNs: 0,
    handleStopNs: 0,
    inodeDirtyNs: 0,
    hotLockNs: 0,
    commitNs: 0,
    commitPerItemNs: 0,
    pageWriteNs: 0,
    getattrNs: 0,
    msyncNs: 0,
    rmapWalkNs: 0,
    pteProtectNs: 0,
    tlbShootdownNs: 0,
    ipiNs: 0,
  },
  default: {
    name: 'default',
    version: 3,
    description:
      'Order-of-magnitude costs of a 2013-era x86 server: a shared-file write fault near 1 us, ' +
      'a journalled inode update adding roughly a third of that, a commit in the tens of microseconds; ' +
      "ext4's and XFS's page_mkwrite extras measured on this kernel by npm run calibrate and scaled to the 750 ns generic fault.",
    faultEntryNs: 600,
    mkwriteNs: 150,
    ext4MkwriteNs: 98,
    xfsMkwriteNs: 41,
    mmapNs: 4000,
    handleStartNs: 80,
    handleStopNs: 60,
    inodeDirtyNs: 120,
    hotLockNs: 40,
    commitNs: 20000,
    commitPerItemNs: 500,
    pageWriteNs: 300,
    getattrNs: 300,
    msyncNs: 200,
    rmapWalkNs: 250,
    pteProtectNs: 100,
    tlbShootdownNs: 2000,
    ipiNs: 500,
  },
} as const satisfies Record<string, CostProfile>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

/** The profile `npm run calibrate` writes, and `--profile host` reads (relative to the working directory). */
export const HOST_PROFILE_PATH = 'results/profiles/host.json';

const NS_FIELDS = Object.keys(PROFILES.zero).filter((k) => k.endsWith('Ns')) as (keyof CostProfile)[];

/**
 * A profile by built-in name, `host` (the calibrated one), or a JSON file's
 * path. Throws an Error whose message says what is wrong with the file.
 */
export function loadProfile(spec: string, cwd: string): CostProfile {
  if (spec in PROFILES) return PROFILES[spec as ProfileName];
  const file = path.resolve(cwd, spec === 'host' ? HOST_PROFILE_PATH : spec);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (spec === 'host' && code === 'ENOENT')
      throw new Error(`no calibrated profile at ${file}; run npm run calibrate first`, { cause: e });
    throw new Error(
      code === 'ENOENT' ? `${file} does not exist` : `${file} is not a JSON profile (${(e as Error).message})`,
      { cause: e },
    );
  }
  const p = data as Record<string, unknown>;
  if (typeof p !== 'object' || p === null || typeof p.name !== 'string' || typeof p.version !== 'number') {
    throw new Error(`${file} is not a profile: it needs a string "name" and a number "version"`);
  }
  for (const k of NS_FIELDS) {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(`${file}: "${k}" must be a number of nanoseconds >= 0`);
  }
  return { description: '', ...(p as object) } as CostProfile;
}
