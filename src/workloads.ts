export const WORKLOADS = {
  'separate-file': 'page_fault3: each writer maps its own file, stores one byte per page, unmaps, repeats',
  'shared-file': 'as separate-file, but every writer maps the same file (inode and page contention on top of the journal)',
} as const;

export type WorkloadName = keyof typeof WORKLOADS;
export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];
