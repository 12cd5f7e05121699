/**
 * The virtual target's sweep defaults. Simulated time costs wall-clock time
 * in proportion to the faults simulated, so windows are milliseconds of
 * virtual time; the time scale is chosen so that the kernel's intervals
 * still come round inside them: at 0.0002 a 5 s writeback or commit interval
 * is 1 ms and the 30 s dirty expiry 6 ms, so a 5 ms warm-up and a 10 ms
 * window see ten commits, ten polls and expired pages written back. The
 * tick is not scaled (a 4 ms jiffy is 4 ms of virtual time, as on the
 * machine simulated).
 */
export const VIRTUAL_SWEEP = {
  maxThreads: 1024,
  threads: [1, 2, 4, 8, 16, 32, 64, 128, 160],
  quickThreads: [1, 4, 16, 64],
  durationSec: 0.01,
  warmupSec: 0.005,
  quickDurationSec: 0.006,
  quickWarmupSec: 0.004,
  pages: 4096,
  timeScale: 0.0002,
  observerIntervalMs: 1,
} as const;
