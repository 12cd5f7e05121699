/**
 * What each simulated CPU runs: writers store into their mapping until the
 * coordinator says stop; the service roles (timer, flusher, committer,
 * observer) keep the kernel's background machinery going meanwhile.
 */
import type { ModelConfig, Role, ServiceRole } from './config.js';
import { Kernel, type Attr } from './kernel.js';
import {
  CTL_JIFFIES,
  CTL_PHASE,
  CTL_READY,
  CTL_WRITERS_DONE,
  CTL_IDLE_SLOT,
  CTL_SYNCED,
  C_OBSERVER_BUSY_US,
  C_ROLE_PHASE,
  ROLE_AT_BARRIER,
  ROLE_DONE,
  ROLE_RUNNING,
  ROLE_WINDING_DOWN,
  C_STORES,
  J_COMMIT,
  JC_WQ,
  PHASE_INIT,
  PHASE_RUN,
} from './layout.js';
import { park } from './locks/locks.js';
import { finalSync, initState } from './state.js';
import { Observer, WriterCursor, flusherRound, stopped, syncRound, timerTick, type StalenessReport } from './steps.js';

export type { StalenessReport } from './steps.js';

export interface RoleTask {
  readonly sab: SharedArrayBuffer;
  readonly cfg: ModelConfig;
  readonly role: Role;
  /** Simulated CPU: writers are 0..writers-1, services follow. */
  readonly cpu: number;
  readonly inject: FaultInjection | null;
  /** A target's per-run resource for this CPU (the kernel target: the file descriptor this writer maps). */
  readonly fd?: number;
  /** Every such resource of the run, by file (the kernel target's observer fstats them all). */
  readonly files?: readonly number[];
  /** How a target runs its writers where it offers a choice (the kernel target: 'threads' or 'processes'). */
  readonly mode?: string;
}

/**
 * Test hook: the first task of `role` fails after `after` stores (writers,
 * checked every 64 stores) or loop rounds (services): it throws, exits its
 * thread, or hangs forever.
 */
export interface FaultInjection {
  readonly kind: 'throw' | 'exit' | 'hang';
  readonly role: Role;
  readonly after: number;
}

function injectedFault(i32: Int32Array, f: FaultInjection): void {
  if (f.kind === 'throw') throw new Error(`injected fault: ${f.role} threw after ${f.after}`);
  if (f.kind === 'exit') process.exit(70);
  // Hang: sleep on a slot nothing ever changes (only terminating the thread ends this).
  for (;;) Atomics.wait(i32, CTL_IDLE_SLOT, 0);
}

export interface RoleResult {
  readonly role: Role;
  readonly cpu: number;
  readonly staleness?: StalenessReport;
}

/** Stores between two looks at the stop flag: rare enough to cost nothing, often enough to stop within microseconds. */
const STOP_CHECK_MASK = 63;

/** What one role runs once the barrier releases it; the observer's staleness report is its result. */
export type RoleBody = (k: Kernel, task: RoleTask, inject: FaultInjection | null) => StalenessReport | void;
export type RoleTable = Readonly<Record<Role, RoleBody>>;

/** The model's roles: the simulated kernel's writers and its background machinery. */
export const MODEL_ROLES: RoleTable = {
  writer: (k, _task, inject) => writer(k, inject),
  timer: (k, _task, inject) => timer(k, inject),
  flusher: (k, _task, inject) => flusher(k, inject),
  committer: (k, _task, inject) => committer(k, inject),
  observer: (k, _task, inject) => observeWith(k, inject, new Observer(k)),
};

/**
 * Run one role on this thread: announce it, meet the others at the start
 * barrier, run the role's body from `roles` (a target may bring its own
 * writer or observer), and say when it is done.
 */
export function runRole(task: RoleTask, roles: RoleTable = MODEL_ROLES): RoleResult {
  const k = new Kernel(task.sab, task.cfg, task.cpu);
  const phase = k.ctr + C_ROLE_PHASE;
  // Only the first CPU of the role named by the injection fails.
  const first =
    task.role === 'writer'
      ? task.cpu === 0
      : task.cpu === task.cfg.writers + task.cfg.services.indexOf(task.role as ServiceRole);
  const inject = task.inject && task.inject.role === task.role && first ? task.inject : null;
  Atomics.store(k.i32, phase, ROLE_AT_BARRIER);
  arriveAndWait(k.i32);
  Atomics.store(k.i32, phase, ROLE_RUNNING);
  const staleness = roles[task.role](k, task, inject);
  Atomics.store(k.i32, phase, ROLE_DONE);
  return staleness ? { role: task.role, cpu: task.cpu, staleness } : { role: task.role, cpu: task.cpu };
}

/** Counts down an injection's rounds; true once when the fault is due. */
function countdown(inject: FaultInjection | null): () => boolean {
  let left = inject ? inject.after : -1;
  return () => left >= 0 && left-- === 0;
}

/** The start barrier: count ourselves in, then sleep until the coordinator releases everyone at once. */
function arriveAndWait(i32: Int32Array): void {
  Atomics.add(i32, CTL_READY, 1);
  // The coordinator waits (waitAsync) on CTL_READY; tell it one more has arrived.
  Atomics.notify(i32, CTL_READY);
  // Sleeps only while the phase is still INIT; the release stores RUN and notifies this word.
  while (Atomics.load(i32, CTL_PHASE) === PHASE_INIT) Atomics.wait(i32, CTL_PHASE, PHASE_INIT);
}

/** Sleep up to `us` of model time, returning early when the coordinator stops the run (it notifies the phase word). */
function nap(i32: Int32Array, us: number): void {
  Atomics.wait(i32, CTL_PHASE, PHASE_RUN, us / 1000);
}

/** page_fault3 until the coordinator says stop, one WriterCursor step per store. */
function writer(k: Kernel, inject: FaultInjection | null): void {
  const i32 = k.i32;
  const cursor = new WriterCursor(k);
  try {
    for (;;) {
      const passEnded = cursor.step();
      // The stop flag and the test hook are looked at every 64 stores and at the end of each pass, off the per-store path.
      if (passEnded || (cursor.page & STOP_CHECK_MASK) === 0) {
        if (stopped(i32)) break;
        if (inject && i32[k.ctr + C_STORES]! >= inject.after) injectedFault(i32, inject);
      }
    }
    // Exit tears the mapping down like munmap.
    cursor.exit();
  } finally {
    writerLeaves(k);
  }
}

/** A writer is out: the committer keeps serving until every writer is (a writer may be waiting on a commit). */
export function writerLeaves(k: Kernel): void {
  Atomics.store(k.i32, k.ctr + C_ROLE_PHASE, ROLE_WINDING_DOWN);
  Atomics.add(k.i32, CTL_WRITERS_DONE, 1);
  // The committer and the observer sleep on this word until every writer has left.
  Atomics.notify(k.i32, CTL_WRITERS_DONE);
}

/** A periodic service until the run stops: the test hook when due, a nap of `us`, then one round. */
function everyInterval(k: Kernel, inject: FaultInjection | null, us: number, round: (k: Kernel) => void): void {
  const due = countdown(inject);
  while (!stopped(k.i32)) {
    if (inject && due()) injectedFault(k.i32, inject);
    nap(k.i32, us);
    round(k);
  }
}

/** The timer interrupt: advance jiffies from the shared clock, once per tick. */
function timer(k: Kernel, inject: FaultInjection | null): void {
  everyInterval(k, inject, k.cfg.tickUs, timerTick);
}

/** The flusher: every writeback interval, one flusher round. */
function flusher(k: Kernel, inject: FaultInjection | null): void {
  const i32 = k.i32;
  everyInterval(k, inject, k.cfg.writebackIntervalUs, flusherRound);
  // The end-of-run sync, once every writer has left (their exit unmapped): say when it is done, so the
  // observer's last poll sees what it made visible.
  waitForWriters(k);
  syncRound(k);
  Atomics.store(i32, CTL_SYNCED, 1);
  // The observer and the committer sleep on this word until the sync is done.
  Atomics.notify(i32, CTL_SYNCED);
}

/** Sleep until every writer has left (each notifies CTL_WRITERS_DONE as it goes). */
function waitForWriters(k: Kernel): void {
  for (let done; (done = Atomics.load(k.i32, CTL_WRITERS_DONE)) < k.cfg.writers;)
    Atomics.wait(k.i32, CTL_WRITERS_DONE, done);
}

/** Is the end-of-run sync done (or is there no flusher to do it)? */
const synced = (k: Kernel): boolean => !k.cfg.services.includes('flusher') || Atomics.load(k.i32, CTL_SYNCED) === 1;

/** The journal thread: commit every interval, or at once when a writer asks; serve until every writer is out. */
function committer(k: Kernel, inject: FaultInjection | null): void {
  const i32 = k.i32;
  const due = countdown(inject);
  const wq = k.layout.journalBase + J_COMMIT + JC_WQ;
  const writers = k.cfg.writers;
  const intervalMs = k.cfg.commitIntervalUs / 1000;
  for (;;) {
    if (stopped(i32)) {
      const done = Atomics.load(i32, CTL_WRITERS_DONE);
      if (done === writers && synced(k)) return;
      // A writer, or the end-of-run sync, may still be waiting for a commit; serve it, then sleep until a writer
      // leaves or the sync is done (both notify their word), or one commit interval.
      k.journal.commit();
      if (done < writers) Atomics.wait(i32, CTL_WRITERS_DONE, done, intervalMs);
      else Atomics.wait(i32, CTL_SYNCED, 0, intervalMs);
      continue;
    }
    if (inject && due()) injectedFault(i32, inject);
    // Writers asking for a commit wake this queue; so does the coordinator when it stops the run.
    park(k.mem, i32, wq, () => !k.journal.commitRequested() && !stopped(i32), intervalMs);
    k.journal.commit();
  }
}

/** A client's revalidation rounds: the model's getattr (Observer), or a target's own (the kernel target's fstat). */
export interface Revalidator {
  round(): void;
  report(): StalenessReport;
}

/**
 * The observer: one round (a getattr on every file) per interval. After the
 * writers stop it polls once more, so a store is unnoticed only if the
 * attributes still hide it when the run ends.
 */
export function observeWith(k: Kernel, inject: FaultInjection | null, obs: Revalidator): StalenessReport {
  const i32 = k.i32;
  const due = countdown(inject);
  while (!stopped(i32)) {
    if (inject && due()) injectedFault(i32, inject);
    const t0 = performance.now();
    obs.round();
    i32[k.ctr + C_OBSERVER_BUSY_US]! += Math.round((performance.now() - t0) * 1000);
    nap(i32, k.cfg.observerIntervalUs);
  }
  // Wait for the writers to leave and the end-of-run sync to finish (each notifies its word), then look one last
  // time: a store is unnoticed only if nothing the kernel did (writeback, munmap and exit, the sync) showed it.
  waitForWriters(k);
  while (!synced(k)) Atomics.wait(i32, CTL_SYNCED, 0);
  obs.round();
  return obs.report();
}

export interface WarmTask {
  /** Single-writer configurations covering the code paths the sweep will run. */
  readonly cfgs: readonly ModelConfig[];
  /** Budget per configuration, milliseconds. */
  readonly ms: number;
}

/**
 * JIT warm-up on one pool thread: every worker is its own isolate with its
 * own compiled code, and a run may land on any of them, so each runs the
 * fault, writeback, getattr and commit paths privately before anything is
 * measured. Nothing here touches the run's shared state.
 */
export function warmUp(task: WarmTask): number {
  let passes = 0;
  for (const cfg of task.cfgs) {
    const sab = new SharedArrayBuffer(cfg.layout.bytes);
    initState(sab, cfg);
    let clock = 0;
    const k = new Kernel(sab, cfg, 0, () => clock);
    const attr: Attr = { iversion: 0, mtime: 0, ctime: 0 };
    const end = performance.now() + task.ms;
    for (let gen = 1; performance.now() < end; gen++) {
      clock += cfg.tickUs;
      Atomics.store(k.i32, CTL_JIFFIES, gen);
      k.mmap(0, gen);
      for (let p = 0; p < cfg.layout.pages; p++) k.store(0, p, gen);
      if (cfg.msyncEvery > 0) k.msync(0, gen, cfg.layout.pages - 1, cfg.msyncEvery, false);
      k.takeInterrupts();
      k.munmap(0, gen);
      k.getattr(0, attr);
      if ((gen & 7) === 0) k.writebackInode(0);
      k.journal.commit();
      passes++;
    }
    finalSync(sab, cfg, () => clock);
  }
  return passes;
}
