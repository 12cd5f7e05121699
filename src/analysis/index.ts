/**
 * Analysis: statistics over runs and rows. Owns summaries and Student t
 * (stats.ts), the Universal Scalability Law fit (usl.ts), comparing two
 * results files (compare.ts) and the throughput/staleness trade-off
 * (tradeoff.ts). Pure: no files written, no processes.
 *
 * May import: rows and the model's names. Not output, harness or commands.
 */
export { summarize } from './stats.js';
export { fitUsl, uslBySeries } from './usl.js';
export { tradeoff } from './tradeoff.js';
