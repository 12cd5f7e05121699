/**
 * The virtual target's sweep defaults. Simulated time costs wall-clock time
 * in proportion to the faults simulated, so windows are milliseconds of
 * virtual time, counted in ticks of the modelled kernel so that every run
 * sees whole ticks: per-tick journal transactions (the coarse clock moving)
 * then come as many times in every window, and the window meets the 2% rule
 * (model/config.ts CONVERGED_WINDOW_TICKS).
 *
 * Kernel intervals run at their real length (time scale 1): a commit or a
 * writeback pass every 5 s, the dirty expiry at 30 s. A window of tens of
 * milliseconds then sees what a slice of a real run sees, almost never a
 * commit, rather than a commit per window whose cost, not scaled with it,
 * would weigh a thousand times too much. The observer revalidates every 3 s,
 * the NFS client's acregmin default (nfs(5)).
 */
export const VIRTUAL_SWEEP = {
  maxThreads: 1024,
  threads: [1, 2, 4, 8, 16, 32, 64, 80, 128, 160],
  quickThreads: [1, 4, 16, 64],
  windowTicks: 5,
  warmupTicks: 2,
  quickWindowTicks: 5,
  quickWarmupTicks: 1,
  pages: 4096,
  timeScale: 1,
  observerIntervalMs: 3000,
} as const;
