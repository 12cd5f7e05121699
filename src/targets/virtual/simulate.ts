/**
 * One run in virtual time, on one thread: N virtual CPUs (the writers, then
 * the services) each with a clock and a role, stepped by a discrete-event
 * scheduler that always runs the CPU with the earliest clock. A step is one
 * operation run atomically against the one shared model (a real Kernel per
 * CPU over one SharedArrayBuffer, built with that CPU's VirtualMemory): a
 * writer's step is one store (steps.ts WriterCursor), a service's one round
 * (a tick, a flusher pass, a commit, an observer poll). The run warms up,
 * measures a window, stops, syncs and checks the invariants, and returns the
 * same sample the threads coordinator does, in virtual seconds.
 */
import { followUpUs, type ModelConfig } from '../../model/config.js';
import { Kernel } from '../../model/kernel.js';
import {
  C_OBSERVER_BUSY_US,
  CTL_PHASE,
  J_COMMIT,
  JC_WQ,
  LOCK_CLASSES,
  PHASE_RUN,
  PHASE_STOP,
  WQ_GEN,
  WQ_WAITERS,
  lockStatAt,
} from '../../model/layout.js';
import { windowed, type Noticed, type StalenessWindow } from '../../model/staleness.js';
import { checkInvariants, diffSnapshots, finalSync, initState, snapshot, type Snapshot } from '../../model/state.js';
import { Observer, WriterCursor, flusherInode, syncRound, timerTick } from '../../model/steps.js';
import type { RunSample, TargetRun, WaitShares } from '../target.js';
import { CpuHeap } from './heap.js';
import type { Hardware } from './hardware.js';
import { VirtualMachine } from './machine.js';
import { VirtualMemory } from './memory.js';
import { seededRanks, seededRandom } from './random.js';

/** CPUs start within this much of one another (seeded), so runs of one configuration differ. */
export const START_SKEW_NS = 1000;
/** Every step moves its CPU's clock by at least this much, so virtual time advances even with a zero-cost profile. */
export const MIN_STEP_NS = 1;

const ROLE_CODES = { writer: 0, timer: 1, flusher: 2, committer: 3, observer: 4 } as const;

export interface VirtualTiming {
  readonly warmupNs: number;
  readonly windowNs: number;
}

/** The measured window, and the end of the follow-up after it, in virtual ns. */
interface RunWindow {
  readonly from: number;
  readonly to: number;
  readonly end: number;
}

/** What the machine spent waiting inside the window, summed over CPUs. */
function waitTotals(m: VirtualMachine): { line: number; locks: number[] } {
  const locks = LOCK_CLASSES.map(() => 0);
  let line = 0;
  for (let c = 0; c < m.cpus; c++) {
    line += m.lineWaitNs[c]!;
    for (let k = 0; k < LOCK_CLASSES.length; k++) locks[k]! += m.lockWaitNs[c * LOCK_CLASSES.length + k]!;
  }
  return { line, locks };
}

/**
 * The run's CPUs, each with its VirtualMemory, Kernel and role, and what one
 * step of each role does: the place each service has reached in its round,
 * the committer's parking, and the idle time the services spend in the window.
 */
class VirtualCpus {
  readonly n: number;
  readonly mems: VirtualMemory[] = [];
  readonly kernels: Kernel[] = [];
  readonly roles: Int8Array;
  readonly cursors: WriterCursor[] = [];
  readonly observer: Observer | null = null;
  /** Services' idle time inside the window, summed. */
  idleNs = 0;
  private readonly i32: Int32Array;
  private readonly files: number;
  private readonly tickNs: number;
  private readonly writebackNs: number;
  private readonly commitNs: number;
  private readonly observerNs: number;
  private readonly wq: number;
  private readonly parkedAt: Float64Array;
  // The flusher's place in its pass, and the pass's coarse time.
  private flushIno = 0;
  private flushNow = 0;
  // The observer's place in its round.
  private pollIno = 0;

  private readonly m: VirtualMachine;
  private readonly window: RunWindow;

  constructor(sab: SharedArrayBuffer, cfg: ModelConfig, m: VirtualMachine, window: RunWindow) {
    const l = cfg.layout;
    this.m = m;
    this.window = window;
    this.i32 = new Int32Array(sab);
    this.n = cfg.writers + cfg.services.length;
    this.roles = new Int8Array(this.n);
    for (let cpu = 0; cpu < this.n; cpu++) {
      const mem = new VirtualMemory(m, cpu, lockStatAt(l, cpu, 0));
      this.mems.push(mem);
      const k = new Kernel(sab, cfg, cpu, () => Math.floor(mem.now / 1000), mem);
      this.kernels.push(k);
      const role = cpu < cfg.writers ? 'writer' : cfg.services[cpu - cfg.writers]!;
      this.roles[cpu] = ROLE_CODES[role];
      if (role === 'writer') this.cursors[cpu] = new WriterCursor(k);
      if (role === 'observer') this.observer = new Observer(k);
    }
    this.files = l.files;
    this.tickNs = cfg.tickUs * 1000;
    this.writebackNs = cfg.writebackIntervalUs * 1000;
    this.commitNs = cfg.commitIntervalUs * 1000;
    this.observerNs = cfg.observerIntervalUs * 1000;
    this.wq = l.journalBase + J_COMMIT + JC_WQ;
    // The committer parks on its queue between commits (as park() does): it counts itself a waiter so that a
    // writer's request notifies it, and is woken by that notify or by its interval, whichever comes first.
    this.parkedAt = new Float64Array(this.n).fill(-1);
  }

  /** Wakes a parked CPU early on the heap, never before the time it parked. */
  wakeOn(heap: CpuHeap): void {
    this.m.onWake = (cpu, at) => {
      const when = Math.max(at, this.parkedAt[cpu]!);
      if (when < heap.key[cpu]!) heap.move(cpu, when);
    };
  }

  /** Queues every CPU at a seeded skew plus its role's first interval; the committer starts parked. */
  start(heap: CpuHeap, rng: () => number): void {
    for (let cpu = 0; cpu < this.n; cpu++) {
      const skew = rng() * START_SKEW_NS;
      const first = [0, this.tickNs, this.writebackNs, this.commitNs, 0][this.roles[cpu]!]!;
      if (this.roles[cpu] === ROLE_CODES.committer) this.park(cpu, skew);
      heap.push(cpu, skew + first);
    }
  }

  /** Runs one step of `cpu` at virtual time `t`; returns when it runs next. */
  step(cpu: number, t: number): number {
    this.mems[cpu]!.now = t;
    switch (this.roles[cpu]) {
      case ROLE_CODES.writer:
        this.cursors[cpu]!.step();
        return Math.max(this.mems[cpu]!.now, t + MIN_STEP_NS);
      case ROLE_CODES.timer:
        return this.timerStep(cpu);
      case ROLE_CODES.flusher:
        return this.flusherStep(cpu, t);
      case ROLE_CODES.committer:
        return this.committerStep(cpu, t);
      default:
        return this.observerStep(cpu, t);
    }
  }

  private timerStep(cpu: number): number {
    const mem = this.mems[cpu]!;
    timerTick(this.kernels[cpu]!);
    const next = (Math.floor(mem.now / this.tickNs) + 1) * this.tickNs;
    this.idle(mem.now, next);
    return next;
  }

  /** One inode per step (steps.ts flusherInode): the pass's coarse time is taken when it begins, as flusherRound does. */
  private flusherStep(cpu: number, t: number): number {
    const mem = this.mems[cpu]!;
    const k = this.kernels[cpu]!;
    if (this.flushIno === 0) this.flushNow = k.coarseNow();
    flusherInode(k, this.flushIno, this.flushNow);
    if (++this.flushIno < this.files) return Math.max(mem.now, t + MIN_STEP_NS);
    this.flushIno = 0;
    const next = mem.now + this.writebackNs;
    this.idle(mem.now, next);
    return next;
  }

  private committerStep(cpu: number, t: number): number {
    const mem = this.mems[cpu]!;
    const k = this.kernels[cpu]!;
    if (this.m.sleepingOn[cpu] !== -1) this.m.sleepingOn[cpu] = -1;
    mem.sub(this.i32, this.wq + WQ_WAITERS, 1);
    k.journal.commit();
    const next = Math.max(mem.now, t + MIN_STEP_NS);
    // A request made during the commit asks for the next one at once; otherwise sleep until asked or the interval.
    // The request is read before the committer joins the waiters: each access is charged to its clock in that order.
    const requested = k.journal.commitRequested();
    this.park(cpu, next);
    if (requested) return next;
    this.idle(next, next + this.commitNs);
    return next + this.commitNs;
  }

  /** One file per step (Observer.poll); after the last, it sleeps an interval, as observeWith does. */
  private observerStep(cpu: number, t: number): number {
    const mem = this.mems[cpu]!;
    const t0 = mem.now;
    this.observer!.poll(this.pollIno);
    this.i32[this.kernels[cpu]!.ctr + C_OBSERVER_BUSY_US]! += Math.round(this.m.inWindow(t0, mem.now) / 1000);
    const next = Math.max(mem.now, t + MIN_STEP_NS);
    if (++this.pollIno !== this.files) return next;
    this.pollIno = 0;
    this.idle(next, next + this.observerNs);
    return next + this.observerNs;
  }

  private park(cpu: number, at: number): void {
    this.mems[cpu]!.add(this.i32, this.wq + WQ_WAITERS, 1);
    this.m.sleepingOn[cpu] = this.wq + WQ_GEN;
    this.parkedAt[cpu] = at;
  }

  /** Counts a service's sleep from `a` to `b` as idle, as far as it lies in the window. */
  private idle(a: number, b: number): void {
    const lo = Math.max(a, this.window.from);
    const hi = Math.min(b, this.window.to);
    if (hi > lo) this.idleNs += hi - lo;
  }

  /**
   * Stops, as the threads roles do: each writer exits (tearing its mapping down like munmap), the flusher runs the
   * end-of-run sync's writeback, the committer commits it, and the observer looks once more: a store is unnoticed
   * only if nothing the kernel did showed it. Returns the virtual time the last of them finished.
   */
  stop(writers: number): number {
    const end = this.window.end;
    for (let w = 0; w < writers; w++) {
      this.mems[w]!.now = Math.max(this.mems[w]!.now, end);
      this.cursors[w]!.exit();
    }
    let last = end;
    for (let cpu = writers; cpu < this.n; cpu++) {
      if (this.roles[cpu] !== ROLE_CODES.flusher) continue;
      this.mems[cpu]!.now = Math.max(this.mems[cpu]!.now, end);
      syncRound(this.kernels[cpu]!);
      last = Math.max(last, this.mems[cpu]!.now);
    }
    for (let cpu = writers; cpu < this.n; cpu++) {
      if (this.roles[cpu] !== ROLE_CODES.committer) continue;
      this.mems[cpu]!.now = Math.max(this.mems[cpu]!.now, last);
      // It was parked on its queue: it leaves it, as park() does on waking.
      this.m.sleepingOn[cpu] = -1;
      this.mems[cpu]!.sub(this.i32, this.wq + WQ_WAITERS, 1);
      this.kernels[cpu]!.journal.commit();
      last = Math.max(last, this.mems[cpu]!.now);
    }
    return last;
  }

  /** The observer's last look at `last`, and the staleness of the window's stores; null without an observer. */
  staleness(last: number): StalenessWindow | null {
    if (!this.observer) return null;
    const obsCpu = this.roles.indexOf(ROLE_CODES.observer);
    this.mems[obsCpu]!.now = Math.max(this.mems[obsCpu]!.now, last);
    this.observer.round();
    const report = this.observer.report();
    const noticed: Noticed[] = [];
    for (let i = 0; i + 1 < report.noticed.length; i += 2)
      noticed.push({ storeUs: report.noticed[i]!, lagUs: report.noticed[i + 1]! });
    return windowed(noticed, report.unnoticed, this.window.from / 1000, this.window.to / 1000);
  }
}

/** The window after warm-up, and its end after the follow-up. */
function runWindow(cfg: ModelConfig, timing: VirtualTiming): RunWindow {
  const from = timing.warmupNs;
  const to = timing.warmupNs + timing.windowNs;
  // After the window every role goes on for the follow-up (as on threads: config.ts followUpUs, at most the
  // window), so a store made late in the window meets the same writeback and polls as one made early.
  return { from, to, end: to + Math.min(followUpUs(cfg) * 1000, timing.windowNs) };
}

/**
 * The scheduler loop: always runs the CPU with the earliest clock, until the follow-up ends. Returns the
 * snapshots taken as the first step at or after the window's start and end comes up.
 */
function runLoop(
  cfg: ModelConfig,
  i32: Int32Array,
  m: VirtualMachine,
  heap: CpuHeap,
  cpus: VirtualCpus,
  window: RunWindow,
): { s0: Snapshot; s1: Snapshot } {
  let s0 = snapshot(i32, cfg);
  let s1 = s0;
  let measuring = false;
  let measured = false;
  for (;;) {
    const cpu = heap.peek();
    const t = heap.key[cpu]!;
    if (!measuring && t >= window.from) {
      s0 = snapshot(i32, cfg);
      measuring = true;
    }
    if (!measured && t >= window.to) {
      s1 = snapshot(i32, cfg);
      measured = true;
    }
    if (t >= window.end) break;
    heap.pop();
    m.horizon = t;
    heap.push(cpu, cpus.step(cpu, t));
  }
  return { s0, s1 };
}

/** The run's sample, in virtual seconds: the window's counters, rates, idle and wait shares. */
function sampleOf(
  cfg: ModelConfig,
  i32: Int32Array,
  timing: VirtualTiming,
  cpus: VirtualCpus,
  waited: { line: number; locks: number[] },
  window: Snapshot,
  staleness: StalenessWindow | null,
): RunSample {
  const elapsedSec = timing.windowNs / 1e9;
  const cpuNs = cpus.n * timing.windowNs;
  const waits: WaitShares = {
    line: waited.line / cpuNs,
    locks: Object.fromEntries(LOCK_CLASSES.map((c, i) => [c, waited.locks[i]! / cpuNs])) as WaitShares['locks'],
  };
  return {
    elapsedSec,
    faultsPerSec: window.total.faults / elapsedSec,
    perThreadFaultsPerSec: window.perCpu.slice(0, cfg.writers).map((c) => c.faults / elapsedSec),
    idleShare: cpus.idleNs / cpuNs,
    window,
    final: snapshot(i32, cfg),
    staleness,
    waits,
  };
}

export function simulate(cfg: ModelConfig, hw: Hardware, timing: VirtualTiming, seed: number): TargetRun {
  const l = cfg.layout;
  const sab = new SharedArrayBuffer(l.bytes);
  initState(sab, cfg);
  const i32 = new Int32Array(sab);
  const n = cfg.writers + cfg.services.length;
  const m = new VirtualMachine(hw, l.cpus, l.slots, cfg.writers);
  const rng = seededRandom(seed);
  const heap = new CpuHeap(n, seededRanks(n, rng));
  const window = runWindow(cfg, timing);
  const cpus = new VirtualCpus(sab, cfg, m, window);
  cpus.wakeOn(heap);
  Atomics.store(i32, CTL_PHASE, PHASE_RUN);
  cpus.start(heap, rng);
  m.windowFrom = window.from;
  m.windowTo = window.to;
  const { s0, s1 } = runLoop(cfg, i32, m, heap, cpus, window);
  const waited = waitTotals(m);

  Atomics.store(i32, CTL_PHASE, PHASE_STOP);
  const last = cpus.stop(cfg.writers);
  const staleness = cpus.staleness(last);
  // sync(2) and the invariant check, on the CPU slot the coordinator's sync uses.
  finalSync(sab, cfg, () => Math.floor(last / 1000));
  const violations = checkInvariants(sab, cfg);
  return { sample: sampleOf(cfg, i32, timing, cpus, waited, diffSnapshots(s0, s1), staleness), violations };
}
