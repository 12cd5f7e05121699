/** A single-threaded model kernel in the test thread, with a hand-driven clock. */
import { buildConfig, type ModelConfig } from '../../src/config.js';
import type { JournalName } from '../../src/journals/index.js';
import { Kernel } from '../../src/kernel.js';
import { COUNTER_NAMES, CTL_JIFFIES, cpuAt, CPU_COUNTERS, type CounterName } from '../../src/layout.js';
import { PROFILES } from '../../src/profiles.js';
import { initState } from '../../src/state.js';
import type { StrategyName } from '../../src/strategies/index.js';
import type { WorkloadName } from '../../src/workloads.js';

export interface Model {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly cfg: ModelConfig;
  readonly k: Kernel;
  /** Set the coarse clock to `n` ticks. */
  tick(n: number): void;
  /** Set the fine clock, in microseconds. */
  fine(us: number): void;
  count(name: CounterName): number;
}

export function makeModel(
  strategy: StrategyName,
  opts: { journal?: JournalName; writers?: number; pages?: number; workload?: WorkloadName } = {},
): Model {
  const cfg = buildConfig({
    workload: opts.workload ?? 'separate-file',
    journal: opts.journal ?? 'jbd2',
    strategy,
    lock: 'auto',
    profile: PROFILES.zero,
    writers: opts.writers ?? 1,
    pages: opts.pages ?? 8,
    timeScale: 0.01,
    tickMs: 4,
    observerIntervalMs: 0,
    cores: 2,
    unitsPerNs: 1,
  });
  const sab = new SharedArrayBuffer(cfg.layout.bytes);
  initState(sab, cfg);
  const i32 = new Int32Array(sab);
  let fineUs = 0;
  const k = new Kernel(sab, cfg, 0, () => fineUs);
  return {
    sab,
    i32,
    cfg,
    k,
    tick: (n) => Atomics.store(i32, CTL_JIFFIES, n),
    fine: (us) => {
      fineUs = us;
    },
    count: (name) => {
      let total = 0;
      for (let c = 0; c < cfg.layout.cpus; c++) total += Atomics.load(i32, cpuAt(cfg.layout, c) + CPU_COUNTERS + COUNTER_NAMES.indexOf(name));
      return total;
    },
  };
}
