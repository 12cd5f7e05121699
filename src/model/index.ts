/**
 * The model: a kernel's write-fault path, writeback, journals and timestamp
 * strategies over one SharedArrayBuffer, as every simulated CPU sees it.
 *
 * Owns: the shared-memory layout (layout.ts), how a CPU reaches it
 * (memory.ts), locks (locks/), the kernel (kernel.ts) with its mappings
 * and page_mkclean (mappings.ts) and clocks (clock.ts), journals
 * (journals/), strategies (strategies/), each CPU's role loop (roles.ts,
 * steps.ts), whole-state operations and invariants (state.ts), a crash and
 * its recovery (crash.ts), what an NFS client compares (client.ts),
 * staleness accounting (staleness.ts), the configuration of a run
 * (config.ts), cost profiles (profiles.ts), and the single-threaded model
 * with its scenarios (sim.ts, world.ts, scenarios.ts), and the one seeded
 * generator every layer draws from (prng.ts).
 *
 * May import: node built-ins only. Nothing above it (targets, rows,
 * analysis, output, harness, commands) is ever imported here.
 */
export { buildConfig, type ModelConfig } from './config.js';
export { Kernel } from './kernel.js';
export { ATOMICS, type Memory } from './memory.js';
export { JOURNAL_NAMES, type JournalName } from './journals/index.js';
export { STRATEGY_NAMES, type StrategyName } from './strategies/index.js';
export { WORKLOAD_NAMES, type WorkloadName } from './workloads.js';
