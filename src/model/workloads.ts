export const WORKLOADS = {
  'separate-file': 'page_fault3: each writer maps its own file, stores one byte per page, unmaps, repeats',
  'shared-file':
    'as separate-file, but every writer maps the same file (inode and page contention on top of the journal)',
  rewrite:
    'each writer maps its own file once and keeps storing into its pages; a store faults only after writeback write-protected the page',
} as const;

/** Workloads that unmap after every pass, so that every store faults (page_fault3). */
export const remapsEveryPass = (w: WorkloadName): boolean => w !== 'rewrite';

export type WorkloadName = keyof typeof WORKLOADS;
export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];
