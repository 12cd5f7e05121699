/**
 * The threads coordinator: how the model and kernel targets run a run, on
 * one pool thread per simulated CPU (writers and services) of this process.
 * The pool lives across runs, sized for the largest and warmed up once per
 * thread when its target asks; a run that leaves a worker stuck or dead
 * replaces it. One run is run.ts; its sample, sample.ts. What differs between
 * the targets that call it (their role table, resources and final check)
 * comes in a ThreadsSpec, so nothing here asks which target called.
 */
import { Piscina } from 'piscina';
import type { ModelConfig, Role } from '../../model/config.js';
import type { RoleResult, WarmTask } from '../../model/roles.js';
import { AbortError, InvariantError, RunError, abortReason } from '../run-errors.js';
import type { RunRequest, RunSample, SweepConfig, WriterMode } from '../target.js';
import { workerFile } from '../worker-file.js';
import type { RoleTableName, ThreadsRoleTask } from './roles.js';
import { ThreadsRun, type Pool } from './run.js';
import { threadsSample } from './sample.js';

/** What one run holds beyond shared memory: per-writer resources, released when the run ends. */
export interface RunResources {
  /** Indexed by file (config.ts fileOfWriter maps a writer to its file). */
  readonly fds: readonly number[];
  close(): void;
}

/** What a target that runs on threads gives the coordinator. */
export interface ThreadsSpec {
  /** The role table its pool threads run (roles.ts). */
  readonly roles: RoleTableName;
  /** How its writers run: threads of this process, or a process each (the kernel target's choice). */
  readonly mode: WriterMode;
  /** Resources for one run, before any worker starts (the kernel target's files); throws when they cannot be had. */
  open(cfg: ModelConfig): RunResources;
  /** After every worker stopped: bring the state to rest and return the broken invariants (none: []). */
  settle(sab: SharedArrayBuffer, cfg: ModelConfig): string[];
}

/** Most service threads a run adds beside its writers: timer, flusher, committer, observer. */
const MAX_SERVICES = 4;

/** Pool threads for the largest of a sweep's configurations: its writers and every service a run may add. */
export const poolSize = (configs: readonly SweepConfig[]): number =>
  Math.max(0, ...configs.map((c) => c.threads)) + MAX_SERVICES;

type ThreadsPool = Piscina<ThreadsRoleTask | WarmTask, RoleResult | number>;

export class ThreadsCoordinator {
  private readonly spec: ThreadsSpec;
  /** The one-thread-per-CPU pool, started at the first run or warm-up. */
  private threads: ThreadsPool | null = null;
  /** Its threads: the most roles (writers + services) any run was reserved for. */
  private size = 0;
  private warmedWith: [readonly ModelConfig[], number] | null = null;

  constructor(spec: ThreadsSpec) {
    this.spec = spec;
  }

  private get pool(): ThreadsPool {
    return (this.threads ??= this.makePool());
  }

  private makePool(): ThreadsPool {
    return new Piscina({
      filename: workerFile('role'),
      minThreads: this.size,
      maxThreads: this.size,
      // Every task must get its own thread at once: a queued task would never reach the barrier.
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
    });
  }

  /** Size the pool for runs of up to `roles` roles; a started pool that is too small is replaced (and warmed again). */
  async reserve(roles: number): Promise<void> {
    if (roles <= this.size) return;
    this.size = roles;
    const old = this.threads;
    if (old === null) return;
    this.threads = null;
    await old.destroy();
    if (this.warmedWith) await this.warm(...this.warmedWith);
  }

  async run(req: RunRequest): Promise<RunSample> {
    if (req.signal?.aborted) throw new AbortError(abortReason(req.signal));
    const { cfg } = req;
    const roles: Role[] = [...Array.from({ length: cfg.writers }, (): Role => 'writer'), ...cfg.services];
    await this.reserve(roles.length);
    // A target's resources (the kernel target's files) exist only for this run.
    let resources: RunResources;
    try {
      resources = this.spec.open(cfg);
    } catch (e) {
      throw new RunError(e instanceof Error ? e.message : String(e));
    }
    try {
      return await this.runWith(req, roles, resources.fds);
    } finally {
      resources.close();
    }
  }

  private async runWith(req: RunRequest, roles: readonly Role[], fds: readonly number[]): Promise<RunSample> {
    const run = new ThreadsRun(this.lender(), req);
    try {
      run.start(roles, { roles: this.spec.roles, mode: this.spec.mode, fds }, req.inject);
      await run.release();
      const window = await run.measure(req.timing);
      const results = await run.windDown(req.timing);
      const violations = this.spec.settle(run.sab, run.cfg);
      if (violations.length > 0) throw new InvariantError(violations);
      return threadsSample(run.cfg, window, results, run.epochMs, run.final());
    } finally {
      run.detach();
    }
  }

  /** The pool as a run uses it: post a task; replace the pool when a worker is stuck or dead. */
  private lender(): Pool {
    return {
      post: (task) => this.pool.run(task) as Promise<RoleResult>,
      reset: (signal) => this.resetPool(signal),
    };
  }

  /** Terminate every worker and start a fresh pool, warmed up again, for the runs that follow. */
  private async resetPool(signal?: AbortSignal): Promise<void> {
    const old = this.threads;
    this.threads = this.makePool();
    await old?.destroy();
    // After an abort no run follows: no warm-up for the fresh pool.
    if (this.warmedWith && !signal?.aborted) await this.warm(...this.warmedWith);
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
