/**
 * One run on the pool: lay out memory, start one task per simulated CPU,
 * release them together from a barrier, warm up, measure a window, stop
 * everyone and wait for them, watching all along for a failed worker, an
 * interruption or a hang. The caller checks the invariants and turns the
 * window into a sample (sample.ts).
 */
import type { ModelConfig, Role } from '../../model/config.js';
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
} from '../../model/layout.js';
import { wake } from '../../model/locks/locks.js';
import { ATOMICS } from '../../model/memory.js';
import { monotonicMs } from '../../model/kernel.js';
import { diagnose } from '../../model/diagnose.js';
import type { RoleResult } from '../../model/roles.js';
import { initState, snapshot } from '../../model/state.js';
import { fileOfWriter, followUpUs } from '../../model/config.js';
import { AbortError, HangError, RunError, abortReason } from '../run-errors.js';
import type { RunRequest, RunTiming } from '../target.js';
import type { RoleTableName, ThreadsRoleTask } from './roles.js';
import { cpuTimes, type Window } from './sample.js';

/** How long an aborted run's workers get to wind down on the stop flag before they are terminated. */
const ABORT_GRACE_MS = 2000;

/** How long the other workers get to stop after one failed, before the pool is torn down under them. */
const FAILURE_GRACE_MS = 10_000;

/** The pool a run's tasks go to, as the coordinator that owns it lends it. */
export interface Pool {
  post(task: ThreadsRoleTask): Promise<RoleResult>;
  /** Terminate every worker and start a fresh pool (a stuck worker never returns otherwise). */
  reset(signal?: AbortSignal): Promise<void>;
}

/** What the run's tasks are given beside their role: the role table, how writers run and the run's resources. */
export interface Posting {
  readonly roles: RoleTableName;
  readonly mode: string;
  /** Per-file resources (the kernel target's file descriptors), indexed by file. */
  readonly fds: readonly number[];
}

export class ThreadsRun {
  readonly sab: SharedArrayBuffer;
  readonly cfg: ModelConfig;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly pool: Pool;
  private readonly signal: AbortSignal | undefined;
  private readonly watchdogMs: number;
  private tasks: Promise<RoleResult>[] = [];
  private failure: unknown = null;
  /** Resolves when the run must stop waiting at once: a worker failed or the sweep was interrupted. */
  private readonly interrupted: Promise<void>;
  private interrupt: () => void = () => {};
  private readonly onAbort = (): void => {
    this.stop();
    this.interrupt();
  };
  private lastStores = -1;
  private lastProgress = performance.now();

  constructor(pool: Pool, req: RunRequest) {
    this.pool = pool;
    this.cfg = req.cfg;
    this.signal = req.signal;
    this.sab = new SharedArrayBuffer(req.cfg.layout.bytes);
    initState(this.sab, req.cfg);
    this.i32 = new Int32Array(this.sab);
    this.f64 = new Float64Array(this.sab);
    this.watchdogMs = (req.watchdogSec ?? Infinity) * 1000;
    this.interrupted = new Promise<void>((resolve) => (this.interrupt = resolve));
    this.signal?.addEventListener('abort', this.onAbort);
  }

  /** Tell every role to stop. */
  private stop(): void {
    Atomics.store(this.i32, CTL_PHASE, PHASE_STOP);
    // Wake everything that sleeps on the phase word (barrier, naps) and the committer's queue.
    Atomics.notify(this.i32, CTL_PHASE);
    wake(ATOMICS, this.i32, this.cfg.layout.journalBase + J_COMMIT + JC_WQ);
  }

  /** An interruption no longer concerns this run. */
  detach(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /** One task per role, CPU by CPU; the first to fail stops the others. */
  start(roles: readonly Role[], posting: Posting, inject: RunRequest['inject']): void {
    const { cfg, sab } = this;
    this.tasks = roles.map((role, cpu) =>
      this.pool
        .post({
          roles: posting.roles,
          sab,
          cfg,
          role,
          cpu,
          inject: inject ?? null,
          fd: posting.fds[fileOfWriter(cfg, cpu)],
          files: posting.fds,
          mode: posting.mode,
        })
        .catch((err: unknown) => {
          this.failure ??= err;
          this.stop();
          this.interrupt();
          throw err;
        }),
    );
  }

  /** Progress for the watchdog: total stores by all writers. */
  private stores(): number {
    let n = 0;
    for (let w = 0; w < this.cfg.writers; w++)
      n += Atomics.load(this.i32, cpuAt(this.cfg.layout, w) + CPU_COUNTERS + C_STORES);
    return n;
  }

  /** Wait `ms` (or until `done` resolves), watching writers' progress; throws on failure, abort or hang. */
  private async watch(ms: number, done?: Promise<unknown>, what = 'no writer stored anything'): Promise<void> {
    const end = performance.now() + ms;
    let finished = false;
    void done?.then(
      () => (finished = true),
      () => (finished = true),
    );
    for (;;) {
      if (this.failure) return this.failed();
      if (this.signal?.aborted) return this.aborted(this.signal);
      const now = performance.now();
      if (finished || now >= end) return;
      const n = this.stores();
      if (n !== this.lastStores) {
        this.lastStores = n;
        this.lastProgress = now;
      } else if (now - this.lastProgress >= this.watchdogMs) {
        return this.hung(what);
      }
      const step = Math.max(1, Math.min(100, end - now, this.watchdogMs - (now - this.lastProgress)));
      await Promise.race([
        new Promise<void>((r) => setTimeout(r, step)),
        this.interrupted,
        ...(done ? [done.catch(() => {})] : []),
      ]);
    }
  }

  private async aborted(signal: AbortSignal): Promise<never> {
    // Workers wind down on the stop flag; one stuck for good (a lock never released, an injected hang)
    // would keep the signal from ending the sweep, so after a grace period the pool is torn down.
    let grace: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.allSettled(this.tasks).then(() => true),
      new Promise<boolean>((r) => (grace = setTimeout(() => r(false), ABORT_GRACE_MS))),
    ]);
    clearTimeout(grace);
    if (!settled) await this.pool.reset(signal);
    throw new AbortError(abortReason(signal));
  }

  private async hung(what: string): Promise<never> {
    const diagnostic = diagnose(this.i32, this.cfg);
    // Workers may be stuck for good (a lock never released): terminate them with the pool.
    await this.pool.reset(this.signal);
    throw new HangError(`${what} for ${(this.watchdogMs / 1000).toFixed(1)} s`, diagnostic);
  }

  /** A worker failed: wait for the others (they were told to stop), then report the first error. */
  async failed(): Promise<never> {
    this.detach();
    const all = Promise.allSettled(this.tasks);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), FAILURE_GRACE_MS))),
    ]);
    clearTimeout(timer);
    // A failed worker may have died holding a lock; tear the pool down so nothing is left waiting.
    await this.pool.reset(this.signal);
    if (timedOut) await all;
    const msg = this.failure instanceof Error ? this.failure.message : String(this.failure);
    throw new RunError(`worker failed: ${msg}`);
  }

  /** Barrier: wait until every task has arrived, then release them all with one store and notify. */
  async release(): Promise<void> {
    const arrived = (async () => {
      for (let ready; (ready = Atomics.load(this.i32, CTL_READY)) < this.tasks.length;) {
        const w = Atomics.waitAsync(this.i32, CTL_READY, ready, 100);
        if (w.async) await Promise.race([w.value, this.interrupted]);
        if (this.failure || this.signal?.aborted) return;
      }
    })();
    // Nothing stores before the release, so the barrier is watched by arrival instead of by stores.
    await this.watch(Math.max(this.watchdogMs, 1), arrived, 'not every worker reached the start barrier');
    await arrived;
    if (this.failure) return this.failed();
    this.f64[CTL_EPOCH_F64] = monotonicMs();
    Atomics.store(this.i32, CTL_PHASE, PHASE_RUN);
    Atomics.notify(this.i32, CTL_PHASE);
    this.lastProgress = performance.now();
  }

  /** Warm-up, then the measured window: counters, wall time, model time and CPU time at each end. */
  async measure(timing: RunTiming): Promise<Window> {
    const { i32, cfg } = this;
    await this.watch(timing.warmupSec * 1000);
    const s0 = snapshot(i32, cfg);
    const c0 = cpuTimes();
    const t0 = performance.now();
    const m0 = monotonicMs();
    await this.watch(timing.durationSec * 1000);
    const s1 = snapshot(i32, cfg);
    const t1 = performance.now();
    const m1 = monotonicMs();
    const c1 = cpuTimes();
    return { s0, s1, c0, c1, t0, t1, m0, m1 };
  }

  /** After the window: follow its late stores, stop everyone, and wait for every worker to end. */
  async windDown(timing: RunTiming): Promise<RoleResult[]> {
    // Every role keeps running a while, so stores made late in the window meet the writeback and the polls an
    // earlier store would have (at most the window's own length); then the writers stop and unmap, the flusher
    // syncs, the observer polls once more.
    await this.watch(Math.min(followUpUs(this.cfg) / 1000, timing.durationSec * 1000));
    this.stop();
    // Writers stop within a few stores; one that does not within the watchdog time is stuck.
    const all = Promise.allSettled(this.tasks);
    this.lastProgress = performance.now();
    await this.watch(Infinity, all, 'the run did not wind down: no store and no exit');
    await all;
    this.detach();
    if (this.failure) return this.failed();
    return Promise.all(this.tasks);
  }

  /** The model-time epoch the workers' fine clock counts from (set at the release). */
  get epochMs(): number {
    return this.f64[CTL_EPOCH_F64]!;
  }

  /** Whole-run counters now (after the wind-down: including the final sync). */
  final() {
    return snapshot(this.i32, this.cfg);
  }
}
