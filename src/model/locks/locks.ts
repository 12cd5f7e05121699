/**
 * Locks built on Atomics over the shared Int32Array. Each lock instance is
 * one line (see layout.ts: L_STATE, L_NEXT, L_OWNER, and a wait queue at
 * L_WQ). A lock object is per thread and per lock class: it carries the
 * thread's statistics slots (acquisitions, contended acquisitions, spins,
 * parks) so that counting never shares a line between threads.
 *
 * Every lock spins for a bounded number of rounds with exponential back-off
 * and then parks with Atomics.wait. With more threads than cores a holder can
 * be preempted; a waiter that kept spinning would burn the core the holder
 * needs, so parking is what keeps oversubscribed runs live.
 */
import {
  CPU_MCS,
  LINE,
  LS_ACQ,
  LS_CONTENDED,
  LS_PARKS,
  LS_SPINS,
  L_NEXT,
  L_OWNER,
  L_STATE,
  L_WQ,
  MCS_LOCKED,
  MCS_NEXT,
  WQ_GEN,
  WQ_WAITERS,
} from '../layout.js';
import type { LockKind } from './kinds.js';
import { pause } from '../work.js';

export interface LockTuning {
  /** Back-off rounds before a waiter parks. */
  readonly spinLimit: number;
  /** Longest back-off pause, in work-loop iterations. */
  readonly maxBackoff: number;
}

/** Spin long when every thread has a core, briefly when threads outnumber cores. */
export function tuningFor(threads: number, cores: number): LockTuning {
  return threads > cores ? { spinLimit: 4, maxBackoff: 64 } : { spinLimit: 64, maxBackoff: 256 };
}

// ---- wait queues -------------------------------------------------------

/**
 * Sleep on wait queue `wq` while `stillBlocked()` holds. The waiter count is
 * raised before the condition is re-checked and the generation is read before
 * that check: a waker changes the state first, then reads the waiter count
 * and, if non-zero, bumps the generation and notifies. Under the sequentially
 * consistent order of Atomics, either our re-check sees the new state, or the
 * waker sees our count and bumps the generation, so Atomics.wait either
 * returns "not-equal" or is woken. No wake-up is lost.
 */
export function park(i32: Int32Array, wq: number, stillBlocked: () => boolean, timeoutMs = Infinity): void {
  Atomics.add(i32, wq + WQ_WAITERS, 1);
  const gen = Atomics.load(i32, wq + WQ_GEN);
  if (stillBlocked()) Atomics.wait(i32, wq + WQ_GEN, gen, timeoutMs);
  Atomics.sub(i32, wq + WQ_WAITERS, 1);
}

/** Wake every sleeper on `wq`; costs one load when nobody sleeps. Call after changing the state they wait on. */
export function wake(i32: Int32Array, wq: number): void {
  if (Atomics.load(i32, wq + WQ_WAITERS) !== 0) {
    Atomics.add(i32, wq + WQ_GEN, 1);
    Atomics.notify(i32, wq + WQ_GEN);
  }
}

// ---- the lock interface ------------------------------------------------

export interface Lock {
  readonly kind: LockKind;
  acquire(base: number): void;
  release(base: number): void;
  /** Shared (read) side; exclusive kinds treat it as acquire. */
  acquireShared(base: number): void;
  releaseShared(base: number): void;
}

abstract class StatLock {
  protected readonly i32: Int32Array;
  protected readonly stat: number;
  protected readonly tuning: LockTuning;
  protected readonly cpu: number;

  constructor(i32: Int32Array, stat: number, tuning: LockTuning, cpu: number) {
    this.i32 = i32;
    this.stat = stat;
    this.tuning = tuning;
    this.cpu = cpu;
  }

  /** Wait until `free()` holds: back off, then park on the lock's wait queue; counts spins and parks. */
  protected waitFor(base: number, free: () => boolean): void {
    const i32 = this.i32;
    let spins = 0;
    let delay = 1;
    while (!free()) {
      if (spins < this.tuning.spinLimit) {
        spins++;
        pause(delay);
        if (delay < this.tuning.maxBackoff) delay <<= 1;
      } else {
        i32[this.stat + LS_PARKS]!++;
        park(i32, base + L_WQ, () => !free());
      }
    }
    i32[this.stat + LS_SPINS]! += spins;
  }
}

/** Test-and-test-and-set spinlock: state 0 free, 1 held. */
export class TtasLock extends StatLock implements Lock {
  readonly kind = 'ttas' as const;

  acquire(base: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    if (Atomics.compareExchange(i32, base + L_STATE, 0, 1) !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      // Test before test-and-set: waiters read the shared line instead of bouncing it with failed CAS.
      for (;;) {
        this.waitFor(base, () => Atomics.load(i32, base + L_STATE) === 0);
        if (Atomics.compareExchange(i32, base + L_STATE, 0, 1) === 0) break;
      }
    }
    i32[base + L_OWNER] = this.cpu + 1;
  }

  release(base: number): void {
    const i32 = this.i32;
    i32[base + L_OWNER] = 0;
    // Publish the release before looking for sleepers (see park()).
    Atomics.store(i32, base + L_STATE, 0);
    wake(i32, base + L_WQ);
  }

  acquireShared(base: number): void {
    this.acquire(base);
  }

  releaseShared(base: number): void {
    this.release(base);
  }
}

/** Ticket lock: FIFO hand-off; every release is seen by every waiter, which is why it collapses under contention. */
export class TicketLock extends StatLock implements Lock {
  readonly kind = 'ticket' as const;

  acquire(base: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    const ticket = Atomics.add(i32, base + L_NEXT, 1);
    if (Atomics.load(i32, base + L_STATE) !== ticket) {
      i32[this.stat + LS_CONTENDED]!++;
      this.waitFor(base, () => Atomics.load(i32, base + L_STATE) === ticket);
    }
    i32[base + L_OWNER] = this.cpu + 1;
  }

  release(base: number): void {
    const i32 = this.i32;
    i32[base + L_OWNER] = 0;
    // Serving the next ticket is the release; then wake parked waiters so the one whose turn it is can run.
    Atomics.add(i32, base + L_STATE, 1);
    wake(i32, base + L_WQ);
  }

  acquireShared(base: number): void {
    this.acquire(base);
  }

  releaseShared(base: number): void {
    this.release(base);
  }
}

/**
 * MCS queued lock: the lock word is the queue tail (CPU + 1, 0 when free);
 * each waiter spins on the MCS_LOCKED slot of its own per-CPU node, so a
 * release touches one waiter's line only. Node states: 1 waiting, 2 waiting
 * and parked, 0 granted. A thread holds at most one MCS lock at a time,
 * so one node per CPU suffices.
 */
export class McsLock extends StatLock implements Lock {
  readonly kind = 'mcs' as const;
  private readonly node: number;
  private readonly cpuBase: number;
  private readonly cpuSlots: number;

  constructor(i32: Int32Array, stat: number, tuning: LockTuning, cpu: number, cpuBase: number, cpuSlots: number) {
    super(i32, stat, tuning, cpu);
    this.cpuBase = cpuBase;
    this.cpuSlots = cpuSlots;
    this.node = cpuBase + cpu * cpuSlots + CPU_MCS;
  }

  private nodeOf(id: number): number {
    return this.cpuBase + (id - 1) * this.cpuSlots + CPU_MCS;
  }

  acquire(base: number): void {
    const i32 = this.i32;
    const node = this.node;
    i32[this.stat + LS_ACQ]!++;
    Atomics.store(i32, node + MCS_NEXT, 0);
    Atomics.store(i32, node + MCS_LOCKED, 1);
    const prev = Atomics.exchange(i32, base + L_STATE, this.cpu + 1);
    if (prev !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      // Link behind the predecessor. If it is already parked waiting for this link (-1), wake it.
      const pnext = this.nodeOf(prev) + MCS_NEXT;
      if (Atomics.exchange(i32, pnext, this.cpu + 1) === -1) Atomics.notify(i32, pnext, 1);
      let spins = 0;
      let delay = 1;
      while (Atomics.load(i32, node + MCS_LOCKED) !== 0) {
        if (spins < this.tuning.spinLimit) {
          spins++;
          pause(delay);
          if (delay < this.tuning.maxBackoff) delay <<= 1;
        } else if (Atomics.compareExchange(i32, node + MCS_LOCKED, 1, 2) !== 0) {
          // Marked parked (2); the predecessor's hand-off exchanges it to 0 and, seeing 2, notifies.
          i32[this.stat + LS_PARKS]!++;
          Atomics.wait(i32, node + MCS_LOCKED, 2);
        }
      }
      i32[this.stat + LS_SPINS]! += spins;
    }
    i32[base + L_OWNER] = this.cpu + 1;
  }

  release(base: number): void {
    const i32 = this.i32;
    const node = this.node;
    const me = this.cpu + 1;
    i32[base + L_OWNER] = 0;
    let next = Atomics.load(i32, node + MCS_NEXT);
    if (next === 0) {
      if (Atomics.compareExchange(i32, base + L_STATE, me, 0) === me) return;
      // A successor swapped the tail but has not linked yet: wait for its link.
      let spins = 0;
      // A late notify meant for an earlier round can wake us while the slot still reads -1: keep waiting until a real link.
      while ((next = Atomics.load(i32, node + MCS_NEXT)) <= 0) {
        if (next === 0 && spins++ < this.tuning.spinLimit) {
          pause(8);
        } else if (next === -1 || Atomics.compareExchange(i32, node + MCS_NEXT, 0, -1) === 0) {
          // -1 tells the successor to notify us when it links (see acquire).
          Atomics.wait(i32, node + MCS_NEXT, -1);
        }
      }
    }
    const succ = this.nodeOf(next) + MCS_LOCKED;
    // Hand the lock over; notify only a successor that parked (state 2).
    if (Atomics.exchange(i32, succ, 0) === 2) Atomics.notify(i32, succ, 1);
  }

  acquireShared(base: number): void {
    this.acquire(base);
  }

  releaseShared(base: number): void {
    this.release(base);
  }
}

const RW_WRITER = 1 << 30;
const RW_READERS = RW_WRITER - 1;

/**
 * Reader-writer lock, writer-preferring: the state word counts readers in its
 * low bits and has a writer bit. A reader enters with one atomic add and backs
 * out if a writer holds or claims the lock, so a writer never starves; the
 * shared read side is still one contended atomic per acquisition, as a
 * kernel rwlock's is.
 */
export class RwLock extends StatLock implements Lock {
  readonly kind = 'rw' as const;

  acquireShared(base: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    if ((Atomics.add(i32, base + L_STATE, 1) & RW_WRITER) === 0) return;
    i32[this.stat + LS_CONTENDED]!++;
    for (;;) {
      this.backOut(base);
      this.waitFor(base, () => (Atomics.load(i32, base + L_STATE) & RW_WRITER) === 0);
      if ((Atomics.add(i32, base + L_STATE, 1) & RW_WRITER) === 0) return;
    }
  }

  /** Drop a reader count; the last reader out while a writer waits wakes it. */
  private backOut(base: number): void {
    if (Atomics.sub(this.i32, base + L_STATE, 1) === (RW_WRITER | 1)) wake(this.i32, base + L_WQ);
  }

  releaseShared(base: number): void {
    this.backOut(base);
  }

  acquire(base: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    let contended = false;
    // Claim the writer bit; readers entering from now on back out.
    for (;;) {
      const v = Atomics.load(i32, base + L_STATE);
      if ((v & RW_WRITER) === 0 && Atomics.compareExchange(i32, base + L_STATE, v, v | RW_WRITER) === v) break;
      contended = true;
      this.waitFor(base, () => (Atomics.load(i32, base + L_STATE) & RW_WRITER) === 0);
    }
    // Readers already inside finish; the last one wakes us.
    if ((Atomics.load(i32, base + L_STATE) & RW_READERS) !== 0) {
      contended = true;
      this.waitFor(base, () => (Atomics.load(i32, base + L_STATE) & RW_READERS) === 0);
    }
    if (contended) i32[this.stat + LS_CONTENDED]!++;
    i32[base + L_OWNER] = this.cpu + 1;
  }

  release(base: number): void {
    const i32 = this.i32;
    i32[base + L_OWNER] = 0;
    // Clear only the writer bit: readers backing out may be moving the count at this moment.
    Atomics.and(i32, base + L_STATE, ~RW_WRITER);
    wake(i32, base + L_WQ);
  }
}

/**
 * Sleeping mutex (Drepper's futex mutex): 0 free, 1 held, 2 held with
 * possible sleepers. A contended acquirer sets 2 and sleeps on the word; a
 * releaser that finds 2 notifies one sleeper. No spinning phase at all.
 */
export class MutexLock extends StatLock implements Lock {
  readonly kind = 'mutex' as const;

  acquire(base: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    let c = Atomics.compareExchange(i32, base + L_STATE, 0, 1);
    if (c !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      if (c !== 2) c = Atomics.exchange(i32, base + L_STATE, 2);
      while (c !== 0) {
        i32[this.stat + LS_PARKS]!++;
        // Sleeps only while the word is still 2; a release in between makes wait return at once.
        Atomics.wait(i32, base + L_STATE, 2);
        c = Atomics.exchange(i32, base + L_STATE, 2);
      }
    }
    i32[base + L_OWNER] = this.cpu + 1;
  }

  release(base: number): void {
    const i32 = this.i32;
    i32[base + L_OWNER] = 0;
    if (Atomics.sub(i32, base + L_STATE, 1) !== 1) {
      Atomics.store(i32, base + L_STATE, 0);
      Atomics.notify(i32, base + L_STATE, 1);
    }
  }

  acquireShared(base: number): void {
    this.acquire(base);
  }

  releaseShared(base: number): void {
    this.release(base);
  }
}

export interface LockContext {
  readonly i32: Int32Array;
  readonly tuning: LockTuning;
  readonly cpu: number;
  readonly cpuBase: number;
  readonly cpuSlots: number;
}

export function makeLock(kind: LockKind, ctx: LockContext, stat: number): Lock {
  const { i32, tuning, cpu } = ctx;
  switch (kind) {
    case 'ttas':
      return new TtasLock(i32, stat, tuning, cpu);
    case 'ticket':
      return new TicketLock(i32, stat, tuning, cpu);
    case 'mcs':
      return new McsLock(i32, stat, tuning, cpu, ctx.cpuBase, ctx.cpuSlots);
    case 'rw':
      return new RwLock(i32, stat, tuning, cpu);
    case 'mutex':
      return new MutexLock(i32, stat, tuning, cpu);
  }
}

/**
 * True when the lock at `base` shows neither a holder nor a queued waiter:
 * ticket locks when the served ticket equals the next one, every other kind
 * (which keeps L_NEXT at 0) when its state word is 0.
 */
export function lockIsFree(i32: Int32Array, base: number): boolean {
  return Atomics.load(i32, base + L_STATE) === Atomics.load(i32, base + L_NEXT) && Atomics.load(i32, base + L_OWNER) === 0;
}

// ---- seqcount ----------------------------------------------------------

/** Writers (serialised by a lock) make the count odd while they change the protected fields. */
export function writeSeqBegin(i32: Int32Array, seq: number): void {
  Atomics.add(i32, seq, 1);
}

export function writeSeqEnd(i32: Int32Array, seq: number): void {
  Atomics.add(i32, seq, 1);
}

/** Start a read: wait out an active writer; returns the even count to validate against. */
export function readSeqBegin(i32: Int32Array, seq: number): number {
  let s = Atomics.load(i32, seq);
  while (s & 1) {
    pause(4);
    s = Atomics.load(i32, seq);
  }
  return s;
}

/** True when a writer ran since readSeqBegin and the read must be retried. */
export function readSeqRetry(i32: Int32Array, seq: number, start: number): boolean {
  return Atomics.load(i32, seq) !== start;
}

export { LINE };
