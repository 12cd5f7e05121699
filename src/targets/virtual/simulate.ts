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
import { windowed, type Noticed } from '../../model/staleness.js';
import { checkInvariants, diffSnapshots, finalSync, initState, snapshot } from '../../model/state.js';
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

export function simulate(cfg: ModelConfig, hw: Hardware, timing: VirtualTiming, seed: number): TargetRun {
  const l = cfg.layout;
  const sab = new SharedArrayBuffer(l.bytes);
  initState(sab, cfg);
  const i32 = new Int32Array(sab);
  const n = cfg.writers + cfg.services.length;
  const m = new VirtualMachine(hw, l.cpus, l.slots, cfg.writers);
  const rng = seededRandom(seed);
  const heap = new CpuHeap(n, seededRanks(n, rng));
  const mems: VirtualMemory[] = [];
  const kernels: Kernel[] = [];
  const roles = new Int8Array(n);
  const cursors: WriterCursor[] = [];
  let observer: Observer | null = null;
  for (let cpu = 0; cpu < n; cpu++) {
    const mem = new VirtualMemory(m, cpu, lockStatAt(l, cpu, 0));
    mems.push(mem);
    const k = new Kernel(sab, cfg, cpu, () => Math.floor(mem.now / 1000), mem);
    kernels.push(k);
    const role = cpu < cfg.writers ? 'writer' : cfg.services[cpu - cfg.writers]!;
    roles[cpu] = ROLE_CODES[role];
    if (role === 'writer') cursors[cpu] = new WriterCursor(k);
    if (role === 'observer') observer = new Observer(k);
  }
  const tickNs = cfg.tickUs * 1000;
  const writebackNs = cfg.writebackIntervalUs * 1000;
  const commitNs = cfg.commitIntervalUs * 1000;
  const observerNs = cfg.observerIntervalUs * 1000;
  // The flusher's place in its pass, and the pass's coarse time.
  let flushIno = 0;
  let flushNow = 0;
  // The observer's place in its round.
  let pollIno = 0;
  const wq = l.journalBase + J_COMMIT + JC_WQ;
  // The committer parks on its queue between commits (as park() does): it counts itself a waiter so that a
  // writer's request notifies it, and is woken by that notify or by its interval, whichever comes first.
  const parkedAt = new Float64Array(n).fill(-1);
  m.onWake = (cpu, at) => {
    const when = Math.max(at, parkedAt[cpu]!);
    if (when < heap.key[cpu]!) heap.move(cpu, when);
  };
  Atomics.store(i32, CTL_PHASE, PHASE_RUN);
  for (let cpu = 0; cpu < n; cpu++) {
    const skew = rng() * START_SKEW_NS;
    const first = [0, tickNs, writebackNs, commitNs, 0][roles[cpu]!]!;
    if (roles[cpu] === ROLE_CODES.committer) park(cpu, skew);
    heap.push(cpu, skew + first);
  }
  function park(cpu: number, at: number): void {
    const mem = mems[cpu]!;
    mem.add(i32, wq + WQ_WAITERS, 1);
    m.sleepingOn[cpu] = wq + WQ_GEN;
    parkedAt[cpu] = at;
  }

  const from = timing.warmupNs;
  const to = timing.warmupNs + timing.windowNs;
  const idleNs = new Float64Array(1);
  const idle = (a: number, b: number): void => {
    const lo = Math.max(a, from);
    const hi = Math.min(b, to);
    if (hi > lo) idleNs[0]! += hi - lo;
  };
  m.windowFrom = from;
  m.windowTo = to;
  // After the window every role goes on for the follow-up (as on threads: config.ts followUpUs, at most the
  // window), so a store made late in the window meets the same writeback and polls as one made early.
  const end = to + Math.min(followUpUs(cfg) * 1000, timing.windowNs);
  let s0 = snapshot(i32, cfg);
  let s1 = s0;
  let measuring = false;
  let measured = false;
  for (;;) {
    const cpu = heap.peek();
    const t = heap.key[cpu]!;
    if (!measuring && t >= from) {
      s0 = snapshot(i32, cfg);
      measuring = true;
    }
    if (!measured && t >= to) {
      s1 = snapshot(i32, cfg);
      measured = true;
    }
    if (t >= end) break;
    heap.pop();
    m.horizon = t;
    const mem = mems[cpu]!;
    mem.now = t;
    const k = kernels[cpu]!;
    let next: number;
    switch (roles[cpu]) {
      case ROLE_CODES.writer:
        cursors[cpu]!.step();
        next = Math.max(mem.now, t + MIN_STEP_NS);
        break;
      case ROLE_CODES.timer:
        timerTick(k);
        next = (Math.floor(mem.now / tickNs) + 1) * tickNs;
        idle(mem.now, next);
        break;
      case ROLE_CODES.flusher:
        // One inode per step (steps.ts flusherInode): the pass's coarse time is taken when it begins, as flusherRound does.
        if (flushIno === 0) flushNow = k.coarseNow();
        flusherInode(k, flushIno, flushNow);
        if (++flushIno < l.files) {
          next = Math.max(mem.now, t + MIN_STEP_NS);
        } else {
          flushIno = 0;
          next = mem.now + writebackNs;
          idle(mem.now, next);
        }
        break;
      case ROLE_CODES.committer:
        if (m.sleepingOn[cpu] !== -1) m.sleepingOn[cpu] = -1;
        mem.sub(i32, wq + WQ_WAITERS, 1);
        k.journal.commit();
        next = Math.max(mem.now, t + MIN_STEP_NS);
        // A request made during the commit asks for the next one at once; otherwise sleep until asked or the interval.
        if (!k.journal.commitRequested()) {
          park(cpu, next);
          idle(next, next + commitNs);
          next += commitNs;
        } else {
          park(cpu, next);
        }
        break;
      default: {
        // One file per step (Observer.poll); after the last, it sleeps an interval, as observeWith does.
        const t0 = mem.now;
        observer!.poll(pollIno);
        i32[k.ctr + C_OBSERVER_BUSY_US]! += Math.round(m.inWindow(t0, mem.now) / 1000);
        next = Math.max(mem.now, t + MIN_STEP_NS);
        if (++pollIno === l.files) {
          pollIno = 0;
          idle(next, next + observerNs);
          next += observerNs;
        }
      }
    }
    heap.push(cpu, next);
  }
  const waited = waitTotals(m);

  // Stop, as the threads roles do: each writer exits (tearing its mapping down like munmap), the flusher runs the
  // end-of-run sync's writeback, the committer commits it, and the observer looks once more: a store is unnoticed
  // only if nothing the kernel did showed it.
  Atomics.store(i32, CTL_PHASE, PHASE_STOP);
  const at = (cpu: number): void => {
    mems[cpu]!.now = Math.max(mems[cpu]!.now, end);
  };
  for (let w = 0; w < cfg.writers; w++) {
    at(w);
    cursors[w]!.exit();
  }
  let last = end;
  for (let cpu = cfg.writers; cpu < n; cpu++) {
    if (roles[cpu] !== ROLE_CODES.flusher) continue;
    at(cpu);
    syncRound(kernels[cpu]!);
    last = Math.max(last, mems[cpu]!.now);
  }
  for (let cpu = cfg.writers; cpu < n; cpu++) {
    if (roles[cpu] !== ROLE_CODES.committer) continue;
    mems[cpu]!.now = Math.max(mems[cpu]!.now, last);
    // It was parked on its queue: it leaves it, as park() does on waking.
    m.sleepingOn[cpu] = -1;
    mems[cpu]!.sub(i32, wq + WQ_WAITERS, 1);
    kernels[cpu]!.journal.commit();
    last = Math.max(last, mems[cpu]!.now);
  }
  let staleness = null;
  if (observer) {
    const obsCpu = roles.indexOf(ROLE_CODES.observer);
    mems[obsCpu]!.now = Math.max(mems[obsCpu]!.now, last);
    observer.round();
    const report = observer.report();
    const noticed: Noticed[] = [];
    for (let i = 0; i + 1 < report.noticed.length; i += 2)
      noticed.push({ storeUs: report.noticed[i]!, lagUs: report.noticed[i + 1]! });
    staleness = windowed(noticed, report.unnoticed, from / 1000, to / 1000);
  }
  // sync(2) and the invariant check, on the CPU slot the coordinator's sync uses.
  finalSync(sab, cfg, () => Math.floor(last / 1000));
  const violations = checkInvariants(sab, cfg);

  const window = diffSnapshots(s0, s1);
  const elapsedSec = timing.windowNs / 1e9;
  const cpuNs = n * timing.windowNs;
  const waits: WaitShares = {
    line: waited.line / cpuNs,
    locks: Object.fromEntries(LOCK_CLASSES.map((c, i) => [c, waited.locks[i]! / cpuNs])) as WaitShares['locks'],
  };
  const sample: RunSample = {
    elapsedSec,
    faultsPerSec: window.total.faults / elapsedSec,
    perThreadFaultsPerSec: window.perCpu.slice(0, cfg.writers).map((c) => c.faults / elapsedSec),
    idleShare: idleNs[0]! / cpuNs,
    window,
    final: snapshot(i32, cfg),
    staleness,
    waits,
  };
  return { sample, violations };
}
