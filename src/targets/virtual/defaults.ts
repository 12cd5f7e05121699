/**
 * The virtual target's sweep defaults. Simulated time costs wall-clock time
 * in proportion to the faults simulated, so windows are milliseconds of
 * virtual time. The time scale says how many kernel seconds they stand for:
 * at 0.001 the 5 ms warm-up and 10 ms window are 5 and 10 kernel seconds, a
 * will-it-scale run's length, so the kernel's intervals fall in a run as
 * they do in a real one: a commit and a writeback pass every 5 ms (5 s),
 * the observer's poll every 1 ms (1 s), and the 30 s dirty expiry beyond the
 * run, as it is beyond a real run of that length. A shorter scale packs the
 * intervals in tighter than faults can follow: at 0.0002 the flusher wrote
 * back about half a page per fault at 1 CPU (a real run writes back about
 * one in a thousand), and since one flusher falls behind as writers are
 * added, each writer's share of that work fell with N and `none` scaled to
 * 1.54 times linear at 160 CPUs (docs/virtual.md).
 * The tick is not scaled (a 4 ms jiffy is 4 ms of virtual time, as on the
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
  timeScale: 0.001,
  observerIntervalMs: 1,
} as const;
