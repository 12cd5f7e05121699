/**
 * A single-threaded model kernel with a hand-driven clock: for the
 * deterministic scenarios and for tests. Nothing runs in the background;
 * whoever holds the Sim plays the timer, the flusher and the client.
 */
import { buildConfig, type ModelConfig } from './config.js';
import type { JournalName } from './journals/index.js';
import { Kernel } from './kernel.js';
import { COUNTER_SLOTS, CPU_COUNTERS, CTL_JIFFIES, cpuAt, type CounterName } from './layout.js';
import { PROFILES } from './profiles.js';
import { initState } from './state.js';
import type { StrategyName } from './strategies/index.js';
import type { WorkloadName } from './workloads.js';

export interface SimOptions {
  journal?: JournalName;
  writers?: number;
  pages?: number;
  workload?: WorkloadName;
  /** 1 makes model time kernel time, as scenarios want. */
  timeScale?: number;
  tickMs?: number;
  /** s_time_gran in ns (default 1). */
  timeGranNs?: number;
}

export class Sim {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly cfg: ModelConfig;
  readonly k: Kernel;
  private fineUs = 0;

  constructor(strategy: StrategyName, opts: SimOptions = {}) {
    this.cfg = buildConfig({
      workload: opts.workload ?? 'separate-file',
      journal: opts.journal ?? 'jbd2',
      strategy,
      lock: 'auto',
      profile: PROFILES.zero,
      writers: opts.writers ?? 1,
      pages: opts.pages ?? 8,
      timeScale: opts.timeScale ?? 0.01,
      tickMs: opts.tickMs ?? 4,
      observerIntervalMs: 0,
      cores: 1,
      unitsPerNs: 1,
      ...(opts.timeGranNs === undefined ? {} : { timeGranNs: opts.timeGranNs }),
    });
    this.sab = new SharedArrayBuffer(this.cfg.layout.bytes);
    initState(this.sab, this.cfg);
    this.i32 = new Int32Array(this.sab);
    this.k = new Kernel(this.sab, this.cfg, 0, () => this.fineUs);
  }

  /** Model time in µs, as the fine clock reads it. */
  get nowUs(): number {
    return this.fineUs;
  }

  /** Set the coarse clock to `n` ticks without moving the fine clock. */
  tick(n: number): void {
    Atomics.store(this.i32, CTL_JIFFIES, n);
  }

  /** Set the fine clock (µs) without moving the coarse clock. */
  fine(us: number): void {
    this.fineUs = us;
  }

  /** Move both clocks to `us`, the coarse one to the last whole tick, as the timer would. */
  setTime(us: number): void {
    this.fineUs = us;
    this.tick(Math.floor(us / this.cfg.tickUs));
  }

  /** A counter summed over every CPU. */
  count(name: CounterName): number {
    const idx = COUNTER_SLOTS[name];
    let total = 0;
    for (let c = 0; c < this.cfg.layout.cpus; c++)
      total += Atomics.load(this.i32, cpuAt(this.cfg.layout, c) + CPU_COUNTERS + idx);
    return total;
  }
}
