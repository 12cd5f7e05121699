/** The journals' names, the one list the registry (index.ts) and the configuration (config.ts) share. */
export const JOURNAL_NAMES = ['jbd2', 'xfs-cil', 'xfs-cil-percpu', 'none'] as const;
export type JournalName = (typeof JOURNAL_NAMES)[number];
