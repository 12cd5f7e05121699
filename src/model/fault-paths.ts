/**
 * Fault paths: which filesystem's page_mkwrite a write fault runs. Every path
 * spends the profile's generic `mkwriteNs` (3.11's filemap_page_mkwrite: time
 * update, lock page, set_page_dirty); ext4's and XFS's spend their own extra
 * on top, a cost-profile field measured by `npm run calibrate` (see
 * docs/parameters.md, "Per-filesystem fault paths").
 */
import type { CostProfile } from './profiles.js';

export interface FaultPath {
  /** The profile field with this path's work over the generic path's, or null (the generic path itself). */
  readonly extraField: 'ext4MkwriteNs' | 'xfsMkwriteNs' | null;
  /** One line for --help. */
  readonly about: string;
}

export const FAULT_PATHS = {
  generic: {
    extraField: null,
    about: "filemap_page_mkwrite (ext3's in 3.11): file_update_time, lock_page, set_page_dirty",
  },
  ext4: {
    extraField: 'ext4MkwriteNs',
    about:
      "ext4_page_mkwrite: the generic work plus __block_page_mkwrite over the page's buffer heads (delalloc get_block)",
  },
  xfs: {
    extraField: 'xfsMkwriteNs',
    about:
      "xfs_vm_page_mkwrite: the generic work plus block_page_mkwrite over the page's buffer heads (xfs_get_blocks)",
  },
} as const satisfies Record<string, FaultPath>;

export type FaultPathName = keyof typeof FAULT_PATHS;
export const FAULT_PATH_NAMES = Object.keys(FAULT_PATHS) as FaultPathName[];

/**
 * What a fault's page_mkwrite step spends on `path`: the generic work plus the
 * path's extra, in the costs' own unit (profile nanoseconds, or a
 * configuration's work-loop units).
 */
export function mkwriteCost(
  costs: Pick<CostProfile, 'mkwriteNs' | 'ext4MkwriteNs' | 'xfsMkwriteNs'>,
  path: FaultPathName,
): number {
  const extra = FAULT_PATHS[path].extraField;
  return costs.mkwriteNs + (extra === null ? 0 : costs[extra]);
}
