/**
 * Analysis: statistics over runs and rows. Owns summaries and Student t
 * (stats.ts), the Universal Scalability Law fit (usl.ts), its bootstrap
 * intervals (usl-bootstrap.ts, resampling with the model's seeded generator)
 * and per-series fits (usl-series.ts), comparing two results files
 * (compare.ts, with welch.ts, lkp.ts, noise.ts and geomean.ts), outlying runs
 * (outliers.ts) and the throughput/staleness trade-off (tradeoff.ts). Pure: no
 * files written, no processes.
 *
 * May import: rows and the model's names. Not output, harness or commands.
 */
export { summarize } from './stats.js';
export { fitUsl } from './usl.js';
export { uslBySeries } from './usl-series.js';
export { tradeoff } from './tradeoff.js';
