export const LOCK_KINDS = ['ttas', 'ticket', 'mcs', 'rw', 'mutex'] as const;
export type LockKind = (typeof LOCK_KINDS)[number];
/** `auto` picks the kind the kernel itself uses for each journal's hot lock. */
export type LockChoice = LockKind | 'auto';
