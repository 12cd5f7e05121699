/**
 * The coordinator: lays out memory for one run, starts one piscina task per
 * simulated CPU, releases them together from a barrier, warms up, measures a
 * window, stops everyone, syncs and checks the invariants.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ModelConfig, Role } from './config.js';
import { CTL_EPOCH_F64, CTL_PHASE, CTL_READY, J_COMMIT, JC_WQ, PHASE_RUN, PHASE_STOP } from './layout.js';
import { wake } from './locks.js';
import type { RoleResult, RoleTask, WarmTask } from './roles.js';
import { windowed, type Noticed, type StalenessWindow } from './staleness.js';
import { checkInvariants, diffSnapshots, finalSync, initState, snapshot, type Snapshot } from './state.js';

/** Compiled worker entry. Under a TypeScript runner (tests) this module is .ts, so point at the build. */
export function workerFile(): string {
  const here = import.meta.url;
  const rel = here.endsWith('.ts') ? '../dist/workers/role.js' : '../workers/role.js';
  return fileURLToPath(new URL(rel, here));
}

export interface RunSample {
  /** Seconds the measured window really lasted. */
  readonly elapsedSec: number;
  readonly faultsPerSec: number;
  readonly perThreadFaultsPerSec: number[];
  /** Share of all cores' time spent idle during the window. */
  readonly idleShare: number;
  /** Counter and lock-statistic deltas over the window. */
  readonly window: Snapshot;
  /** Whole-run totals after the final sync (warm-up and wind-down included). */
  readonly final: Snapshot;
  /** Sampled stores made during the window and how long each stayed invisible; null without an observer. */
  readonly staleness: StalenessWindow | null;
}

const pairs = (flat: readonly number[]): Noticed[] => {
  const out: Noticed[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ storeUs: flat[i]!, lagUs: flat[i + 1]! });
  return out;
};

export class RunError extends Error {
  override readonly name = 'RunError';
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  readonly violations: string[];

  constructor(violations: string[]) {
    super(`invariant broken: ${violations.slice(0, 3).join('; ')}${violations.length > 3 ? ` (+${violations.length - 3} more)` : ''}`);
    this.violations = violations;
  }
}

export interface RunTiming {
  readonly warmupSec: number;
  readonly durationSec: number;
}

function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    const t = c.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

export class Coordinator {
  private readonly pool: Piscina<RoleTask | WarmTask, RoleResult | number>;
  readonly size: number;

  /** `size`: the most simulated CPUs any run will use (writers + services). */
  constructor(size: number) {
    this.size = size;
    this.pool = new Piscina({
      filename: workerFile(),
      minThreads: size,
      maxThreads: size,
      // Every task must get its own thread at once: a queued task would never reach the barrier.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
  }

  async run(cfg: ModelConfig, timing: RunTiming): Promise<RunSample> {
    const roles: Role[] = [...Array.from({ length: cfg.writers }, (): Role => 'writer'), ...cfg.services];
    if (roles.length > this.size) throw new RunError(`${roles.length} roles need more than the pool's ${this.size} threads`);
    const sab = new SharedArrayBuffer(cfg.layout.bytes);
    initState(sab, cfg);
    const i32 = new Int32Array(sab);
    const f64 = new Float64Array(sab);

    let failure: unknown = null;
    let onFailure: () => void = () => {};
    const failed = new Promise<void>((resolve) => (onFailure = resolve));
    const stop = (): void => {
      Atomics.store(i32, CTL_PHASE, PHASE_STOP);
      // Wake everything that sleeps on the phase word (barrier, naps) and the committer's queue.
      Atomics.notify(i32, CTL_PHASE);
      wake(i32, cfg.layout.journalBase + J_COMMIT + JC_WQ);
    };
    const tasks = roles.map((role, cpu) =>
      (this.pool.run({ sab, cfg, role, cpu } satisfies RoleTask) as Promise<RoleResult>).catch((err: unknown) => {
        failure ??= err;
        stop();
        onFailure();
        throw err;
      }),
    );
    const settle = async (): Promise<never> => {
      await Promise.allSettled(tasks);
      const msg = failure instanceof Error ? failure.message : String(failure);
      throw new RunError(`worker failed: ${msg}`);
    };
    const sleep = (sec: number): Promise<void> =>
      Promise.race([new Promise<void>((r) => setTimeout(r, sec * 1000)), failed]);

    // Barrier: wait until every task has arrived, then release them all with one store and notify.
    for (;;) {
      const ready = Atomics.load(i32, CTL_READY);
      if (ready >= roles.length) break;
      if (failure) return settle();
      const w = Atomics.waitAsync(i32, CTL_READY, ready, 100);
      if (w.async) await Promise.race([w.value, failed]);
    }
    f64[CTL_EPOCH_F64] = performance.timeOrigin + performance.now();
    Atomics.store(i32, CTL_PHASE, PHASE_RUN);
    Atomics.notify(i32, CTL_PHASE);

    await sleep(timing.warmupSec);
    if (failure) return settle();
    const s0 = snapshot(i32, cfg);
    const c0 = cpuTimes();
    const t0 = performance.now();
    await sleep(timing.durationSec);
    const s1 = snapshot(i32, cfg);
    const t1 = performance.now();
    const c1 = cpuTimes();
    stop();
    await Promise.allSettled(tasks);
    if (failure) return settle();

    finalSync(sab, cfg);
    const violations = checkInvariants(sab, cfg);
    if (violations.length > 0) throw new InvariantError(violations);

    const elapsedSec = (t1 - t0) / 1000;
    // The window in model time: microseconds since the epoch the workers' fine clock counts from.
    const epoch = f64[CTL_EPOCH_F64]!;
    const toModelUs = (t: number): number => (performance.timeOrigin + t - epoch) * 1000;
    const report = (await Promise.all(tasks)).find((r) => r.staleness)?.staleness;
    const staleness = report
      ? windowed(pairs(report.noticed), report.unnoticed, toModelUs(t0), toModelUs(t1))
      : null;
    const window = diffSnapshots(s0, s1);
    const busy = c1.total - c0.total;
    return {
      elapsedSec,
      faultsPerSec: window.total.faults / elapsedSec,
      perThreadFaultsPerSec: window.perCpu.slice(0, cfg.writers).map((c) => c.faults / elapsedSec),
      idleShare: busy > 0 ? (c1.idle - c0.idle) / busy : 0,
      window,
      final: snapshot(i32, cfg),
      staleness,
    };
  }

  /**
   * Run the JIT warm-up once per pool thread. All tasks are queued at once so
   * each idle thread takes one; a thread that starts late may leave another
   * to run two, in which case the per-run warm-up still covers it.
   */
  async warm(cfgs: readonly ModelConfig[], ms: number): Promise<void> {
    const task: WarmTask = { cfgs, ms };
    await Promise.all(Array.from({ length: this.size }, () => this.pool.run(task, { name: 'warm' })));
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
