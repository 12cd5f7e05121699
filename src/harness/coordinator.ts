/**
 * The coordinator: lays out memory for one run, starts one piscina task per
 * simulated CPU, releases them together from a barrier, warms up, measures a
 * window, stops everyone, syncs and checks the invariants.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ModelConfig, Role } from '../model/config.js';
import {
  CPU_COUNTERS,
  CTL_EPOCH_F64,
  CTL_PHASE,
  CTL_READY,
  C_STORES,
  J_COMMIT,
  JC_WQ,
  PHASE_RUN,
  PHASE_STOP,
  cpuAt,
} from '../model/layout.js';
import { wake } from '../model/locks/locks.js';
import { ATOMICS } from '../model/memory.js';
import { monotonicMs } from '../model/kernel.js';
import { diagnose } from '../model/diagnose.js';
import type { FaultInjection, RoleResult, WarmTask } from '../model/roles.js';
import { windowed, type Noticed } from '../model/staleness.js';
import { diffSnapshots, initState, snapshot } from '../model/state.js';
import { fileOfWriter, followUpUs } from '../model/config.js';
import type { TargetName, TargetRoleTask } from '../targets/index.js';
import type { RunResources, RunSample, RunTiming, Target } from '../targets/target.js';

/** Compiled worker entry. Under a TypeScript runner (tests) this module is .ts, so point at the build. */
export function workerFile(): string {
  const here = import.meta.url;
  const rel = here.endsWith('.ts') ? '../../dist/workers/role.js' : '../../workers/role.js';
  return fileURLToPath(new URL(rel, here));
}

export type { RunSample, RunTiming } from '../targets/target.js';

const pairs = (flat: readonly number[]): Noticed[] => {
  const out: Noticed[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push({ storeUs: flat[i]!, lagUs: flat[i + 1]! });
  return out;
};

export class RunError extends Error {
  override readonly name = 'RunError';
}

/** The sweep was interrupted (SIGINT, SIGTERM). */
export class AbortError extends Error {
  override readonly name = 'AbortError';
}

/** The watchdog saw no progress; `diagnostic` has the lock, journal and thread state at that moment. */
export class HangError extends Error {
  override readonly name = 'HangError';
  readonly diagnostic: string[];

  constructor(message: string, diagnostic: string[]) {
    super(message);
    this.diagnostic = diagnostic;
  }
}

export interface RunOptions {
  /** Abort when no writer stores anything for this long. */
  readonly watchdogSec?: number;
  /** Test hook: make one worker fail (see FaultInjection). */
  readonly inject?: FaultInjection | null;
  /** Seed of a run a target simulates (Target.run); default 1. */
  readonly seed?: number;
}

export class InvariantError extends Error {
  override readonly name = 'InvariantError';
  readonly violations: string[];

  constructor(violations: string[]) {
    super(
      `invariant broken: ${violations.slice(0, 3).join('; ')}${violations.length > 3 ? ` (+${violations.length - 3} more)` : ''}`,
    );
    this.violations = violations;
  }
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

/** How long an aborted run's workers get to wind down on the stop flag before they are terminated. */
const ABORT_GRACE_MS = 2000;

export class Coordinator {
  /** The one-thread-per-CPU pool, started at the first threads run or warm-up (a simulating target never needs it). */
  private threads: Piscina<TargetRoleTask | WarmTask, RoleResult | number> | null = null;
  readonly size: number;
  private abortReason: string | null = null;
  private onAbort: (() => void) | null = null;
  private warmedWith: [readonly ModelConfig[], number] | null = null;

  /** `size`: the most simulated CPUs any run will use (writers + services). */
  constructor(size: number) {
    this.size = size;
  }

  private get pool(): Piscina<TargetRoleTask | WarmTask, RoleResult | number> {
    return (this.threads ??= this.makePool());
  }

  private makePool(): Piscina<TargetRoleTask | WarmTask, RoleResult | number> {
    return new Piscina({
      filename: workerFile(),
      minThreads: this.size,
      maxThreads: this.size,
      // Every task must get its own thread at once: a queued task would never reach the barrier.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
  }

  /** Stop the run in progress (if any) and refuse further runs: SIGINT / SIGTERM. */
  abort(reason: string): void {
    this.abortReason ??= reason;
    this.onAbort?.();
  }

  get aborted(): string | null {
    return this.abortReason;
  }

  async run(target: Target, cfg: ModelConfig, timing: RunTiming, opts: RunOptions = {}): Promise<RunSample> {
    if (this.abortReason) throw new AbortError(this.abortReason);
    if (target.run) return this.simulated(target.run(cfg, timing, opts.seed ?? 1));
    const roles: Role[] = [...Array.from({ length: cfg.writers }, (): Role => 'writer'), ...cfg.services];
    if (roles.length > this.size)
      throw new RunError(`${roles.length} roles need more than the pool's ${this.size} threads`);
    // A target's resources (the kernel target's files) exist only for this run.
    let resources: RunResources;
    try {
      resources = target.open(cfg);
    } catch (e) {
      throw new RunError(e instanceof Error ? e.message : String(e));
    }
    try {
      return await this.runWith(target, cfg, roles, resources.fds, timing, opts);
    } finally {
      resources.close();
    }
  }

  private async runWith(
    target: Target,
    cfg: ModelConfig,
    roles: Role[],
    fds: readonly number[],
    timing: RunTiming,
    opts: RunOptions,
  ): Promise<RunSample> {
    const sab = new SharedArrayBuffer(cfg.layout.bytes);
    initState(sab, cfg);
    const i32 = new Int32Array(sab);
    const f64 = new Float64Array(sab);
    const watchdogMs = (opts.watchdogSec ?? Infinity) * 1000;

    let failure: unknown = null;
    let interrupt: () => void = () => {};
    const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
    const stop = (): void => {
      Atomics.store(i32, CTL_PHASE, PHASE_STOP);
      // Wake everything that sleeps on the phase word (barrier, naps) and the committer's queue.
      Atomics.notify(i32, CTL_PHASE);
      wake(ATOMICS, i32, cfg.layout.journalBase + J_COMMIT + JC_WQ);
    };
    this.onAbort = () => {
      stop();
      interrupt();
    };
    const tasks = roles.map((role, cpu) =>
      (
        this.pool.run({
          target: target.name as TargetName,
          sab,
          cfg,
          role,
          cpu,
          inject: opts.inject ?? null,
          fd: fds[fileOfWriter(cfg, cpu)],
          files: fds,
          mode: target.mode,
        } satisfies TargetRoleTask) as Promise<RoleResult>
      ).catch((err: unknown) => {
        failure ??= err;
        stop();
        interrupt();
        throw err;
      }),
    );

    // Progress for the watchdog: total stores by all writers.
    const stores = (): number => {
      let n = 0;
      for (let w = 0; w < cfg.writers; w++) n += Atomics.load(i32, cpuAt(cfg.layout, w) + CPU_COUNTERS + C_STORES);
      return n;
    };
    let lastStores = -1;
    let lastProgress = performance.now();
    /** Wait `ms` (or until `done` resolves), watching writers' progress; throws on failure, abort or hang. */
    const watch = async (ms: number, done?: Promise<unknown>, what = 'no writer stored anything'): Promise<void> => {
      const end = performance.now() + ms;
      let finished = false;
      void done?.then(
        () => (finished = true),
        () => (finished = true),
      );
      for (;;) {
        if (failure) return this.settle(tasks, failure);
        if (this.abortReason) {
          // Workers wind down on the stop flag; one stuck for good (a lock never released, an injected hang)
          // would keep the signal from ending the sweep, so after a grace period the pool is torn down.
          let grace: NodeJS.Timeout | undefined;
          const settled = await Promise.race([
            Promise.allSettled(tasks).then(() => true),
            new Promise<boolean>((r) => (grace = setTimeout(() => r(false), ABORT_GRACE_MS))),
          ]);
          clearTimeout(grace);
          if (!settled) await this.resetPool();
          throw new AbortError(this.abortReason);
        }
        const now = performance.now();
        if (finished || now >= end) return;
        const n = stores();
        if (n !== lastStores) {
          lastStores = n;
          lastProgress = now;
        } else if (now - lastProgress >= watchdogMs) {
          const diagnostic = diagnose(i32, cfg);
          // Workers may be stuck for good (a lock never released): terminate them with the pool.
          await this.resetPool();
          throw new HangError(`${what} for ${(watchdogMs / 1000).toFixed(1)} s`, diagnostic);
        }
        const step = Math.max(1, Math.min(100, end - now, watchdogMs - (now - lastProgress)));
        await Promise.race([
          new Promise<void>((r) => setTimeout(r, step)),
          interrupted,
          ...(done ? [done.catch(() => {})] : []),
        ]);
      }
    };

    // Barrier: wait until every task has arrived, then release them all with one store and notify.
    const arrived = (async () => {
      for (let ready; (ready = Atomics.load(i32, CTL_READY)) < roles.length;) {
        const w = Atomics.waitAsync(i32, CTL_READY, ready, 100);
        if (w.async) await Promise.race([w.value, interrupted]);
        if (failure || this.abortReason) return;
      }
    })();
    // Nothing stores before the release, so the barrier is watched by arrival instead of by stores.
    await watch(Math.max(watchdogMs, 1), arrived, 'not every worker reached the start barrier');
    await arrived;
    if (failure) return this.settle(tasks, failure);
    f64[CTL_EPOCH_F64] = monotonicMs();
    Atomics.store(i32, CTL_PHASE, PHASE_RUN);
    Atomics.notify(i32, CTL_PHASE);
    lastProgress = performance.now();

    await watch(timing.warmupSec * 1000);
    const s0 = snapshot(i32, cfg);
    const c0 = cpuTimes();
    const t0 = performance.now();
    const m0 = monotonicMs();
    await watch(timing.durationSec * 1000);
    const s1 = snapshot(i32, cfg);
    const t1 = performance.now();
    const m1 = monotonicMs();
    const c1 = cpuTimes();
    // Every role keeps running a while, so stores made late in the window meet the writeback and the polls an
    // earlier store would have (at most the window's own length); then the writers stop and unmap, the flusher
    // syncs, the observer polls once more.
    await watch(Math.min(followUpUs(cfg) / 1000, timing.durationSec * 1000));
    stop();
    // Writers stop within a few stores; one that does not within the watchdog time is stuck.
    const all = Promise.allSettled(tasks);
    lastProgress = performance.now();
    await watch(Infinity, all, 'the run did not wind down: no store and no exit');
    await all;
    this.onAbort = null;
    if (failure) return this.settle(tasks, failure);

    const violations = target.settle(sab, cfg);
    if (violations.length > 0) throw new InvariantError(violations);

    const elapsedSec = (t1 - t0) / 1000;
    // The window in model time: microseconds since the epoch the workers' fine clock counts from.
    const epoch = f64[CTL_EPOCH_F64]!;
    const toModelUs = (t: number): number => (t - epoch) * 1000;
    const report = (await Promise.all(tasks)).find((r) => r.staleness)?.staleness;
    const staleness = report ? windowed(pairs(report.noticed), report.unnoticed, toModelUs(m0), toModelUs(m1)) : null;
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

  /** A run the target simulated itself: its broken invariants and failures are reported as a threads run's are. */
  private async simulated(run: Promise<{ sample: RunSample; violations: string[] }>): Promise<RunSample> {
    let got;
    try {
      got = await run;
    } catch (e) {
      throw new RunError(`worker failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.abortReason) throw new AbortError(this.abortReason);
    if (got.violations.length > 0) throw new InvariantError(got.violations);
    return got.sample;
  }

  /** A worker failed: wait for the others (they were told to stop), then report the first error. */
  private async settle(tasks: Promise<unknown>[], failure: unknown): Promise<never> {
    this.onAbort = null;
    const all = Promise.allSettled(tasks);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 10_000))),
    ]);
    clearTimeout(timer);
    // A failed worker may have died holding a lock; tear the pool down so nothing is left waiting.
    await this.resetPool();
    if (timedOut) await all;
    const msg = failure instanceof Error ? failure.message : String(failure);
    throw new RunError(`worker failed: ${msg}`);
  }

  /** Terminate every worker and start a fresh pool, warmed up again, for the runs that follow. */
  private async resetPool(): Promise<void> {
    const old = this.threads;
    this.threads = this.makePool();
    await old?.destroy();
    // After an abort no run follows: no warm-up for the fresh pool.
    if (this.warmedWith && !this.abortReason) await this.warm(...this.warmedWith);
  }

  /**
   * Run the JIT warm-up once per pool thread. All tasks are queued at once so
   * each idle thread takes one; a thread that starts late may leave another
   * to run two, in which case the per-run warm-up still covers it.
   */
  async warm(cfgs: readonly ModelConfig[], ms: number): Promise<void> {
    this.warmedWith = [cfgs, ms];
    if (cfgs.length === 0) return;
    const task: WarmTask = { cfgs, ms };
    await Promise.all(Array.from({ length: this.size }, () => this.pool.run(task, { name: 'warm' })));
  }

  async close(): Promise<void> {
    await this.threads?.destroy();
    this.threads = null;
  }
}
