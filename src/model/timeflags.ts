/** Flags for setTimes, after the kernel's S_MTIME / S_CTIME / S_VERSION. */
export const S_MTIME = 1;
export const S_CTIME = 2;
export const S_VERSION = 4;
/** Multigrain: take a fine-grained timestamp instead of the coarse clock. */
export const S_FINE = 8;
export const S_TIMES = S_MTIME | S_CTIME;
