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
import type { Memory } from '../memory.js';

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
export function park(
  mem: Memory,
  i32: Int32Array,
  wq: number,
  stillBlocked: () => boolean,
  timeoutMs = Infinity,
): void {
  mem.add(i32, wq + WQ_WAITERS, 1);
  const gen = mem.load(i32, wq + WQ_GEN);
  if (stillBlocked()) mem.wait(i32, wq + WQ_GEN, gen, timeoutMs);
  mem.sub(i32, wq + WQ_WAITERS, 1);
}

/** Wake every sleeper on `wq`; costs one load when nobody sleeps. Call after changing the state they wait on. */
export function wake(mem: Memory, i32: Int32Array, wq: number): void {
  if (mem.load(i32, wq + WQ_WAITERS) !== 0) {
    mem.add(i32, wq + WQ_GEN, 1);
    mem.notify(i32, wq + WQ_GEN);
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
  protected readonly mem: Memory;
  protected readonly stat: number;
  protected readonly tuning: LockTuning;
  protected readonly cpu: number;

  /** `stat`: this CPU's statistics slots for the lock's class (layout.ts lockStatAt). */
  constructor(ctx: LockContext, stat: number) {
    this.i32 = ctx.i32;
    this.mem = ctx.mem;
    this.stat = stat;
    this.tuning = ctx.tuning;
    this.cpu = ctx.cpu;
  }

  /** Wait until `free()` holds: back off, then park on the lock's wait queue; counts spins and parks. */
  protected waitFor(base: number, free: () => boolean): void {
    const i32 = this.i32;
    let spins = 0;
    let delay = 1;
    while (!free()) {
      if (spins < this.tuning.spinLimit) {
        spins++;
        this.mem.pause(delay);
        if (delay < this.tuning.maxBackoff) delay <<= 1;
      } else {
        i32[this.stat + LS_PARKS]!++;
        park(this.mem, i32, base + L_WQ, () => !free());
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
    if (this.mem.compareExchange(i32, base + L_STATE, 0, 1) !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      // Test before test-and-set: waiters read the shared line instead of bouncing it with failed CAS.
      for (;;) {
        this.waitFor(base, () => this.mem.load(i32, base + L_STATE) === 0);
        if (this.mem.compareExchange(i32, base + L_STATE, 0, 1) === 0) break;
      }
    }
    i32[base + L_OWNER] = this.cpu + 1;
    this.mem.lockAcquired(base, 'ttas', false, this.stat);
  }

  release(base: number): void {
    const i32 = this.i32;
    this.mem.lockReleased(base, 'ttas', false, this.stat);
    i32[base + L_OWNER] = 0;
    // Publish the release before looking for sleepers (see park()).
    this.mem.store(i32, base + L_STATE, 0);
    wake(this.mem, i32, base + L_WQ);
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
    const ticket = this.mem.add(i32, base + L_NEXT, 1);
    if (this.mem.load(i32, base + L_STATE) !== ticket) {
      i32[this.stat + LS_CONTENDED]!++;
      this.waitFor(base, () => this.mem.load(i32, base + L_STATE) === ticket);
    }
    i32[base + L_OWNER] = this.cpu + 1;
    this.mem.lockAcquired(base, 'ticket', false, this.stat);
  }

  release(base: number): void {
    const i32 = this.i32;
    this.mem.lockReleased(base, 'ticket', false, this.stat);
    i32[base + L_OWNER] = 0;
    // Serving the next ticket is the release; then wake parked waiters so the one whose turn it is can run.
    this.mem.add(i32, base + L_STATE, 1);
    wake(this.mem, i32, base + L_WQ);
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

  constructor(ctx: LockContext, stat: number) {
    super(ctx, stat);
    this.cpuBase = ctx.cpuBase;
    this.cpuSlots = ctx.cpuSlots;
    this.node = ctx.cpuBase + ctx.cpu * ctx.cpuSlots + CPU_MCS;
  }

  private nodeOf(id: number): number {
    return this.cpuBase + (id - 1) * this.cpuSlots + CPU_MCS;
  }

  acquire(base: number): void {
    const i32 = this.i32;
    const node = this.node;
    i32[this.stat + LS_ACQ]!++;
    this.mem.store(i32, node + MCS_NEXT, 0);
    this.mem.store(i32, node + MCS_LOCKED, 1);
    const prev = this.mem.exchange(i32, base + L_STATE, this.cpu + 1);
    if (prev !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      // Link behind the predecessor. If it is already parked waiting for this link (-1), wake it.
      const pnext = this.nodeOf(prev) + MCS_NEXT;
      if (this.mem.exchange(i32, pnext, this.cpu + 1) === -1) this.mem.notify(i32, pnext, 1);
      let spins = 0;
      let delay = 1;
      while (this.mem.load(i32, node + MCS_LOCKED) !== 0) {
        if (spins < this.tuning.spinLimit) {
          spins++;
          this.mem.pause(delay);
          if (delay < this.tuning.maxBackoff) delay <<= 1;
        } else if (this.mem.compareExchange(i32, node + MCS_LOCKED, 1, 2) !== 0) {
          // Marked parked (2); the predecessor's hand-off exchanges it to 0 and, seeing 2, notifies.
          i32[this.stat + LS_PARKS]!++;
          this.mem.wait(i32, node + MCS_LOCKED, 2);
        }
      }
      i32[this.stat + LS_SPINS]! += spins;
    }
    i32[base + L_OWNER] = this.cpu + 1;
    this.mem.lockAcquired(base, 'mcs', false, this.stat);
  }

  release(base: number): void {
    const i32 = this.i32;
    const node = this.node;
    const me = this.cpu + 1;
    this.mem.lockReleased(base, 'mcs', false, this.stat);
    i32[base + L_OWNER] = 0;
    let next = this.mem.load(i32, node + MCS_NEXT);
    if (next === 0) {
      if (this.mem.compareExchange(i32, base + L_STATE, me, 0) === me) return;
      // A successor swapped the tail but has not linked yet: wait for its link.
      let spins = 0;
      // A late notify meant for an earlier round can wake us while the slot still reads -1: keep waiting until a real link.
      while ((next = this.mem.load(i32, node + MCS_NEXT)) <= 0) {
        if (next === 0 && spins++ < this.tuning.spinLimit) {
          this.mem.pause(8);
        } else if (next === -1 || this.mem.compareExchange(i32, node + MCS_NEXT, 0, -1) === 0) {
          // -1 tells the successor to notify us when it links (see acquire).
          this.mem.wait(i32, node + MCS_NEXT, -1);
        }
      }
    }
    const succ = this.nodeOf(next) + MCS_LOCKED;
    // Hand the lock over; notify only a successor that parked (state 2).
    if (this.mem.exchange(i32, succ, 0) === 2) this.mem.notify(i32, succ, 1);
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
    if ((this.mem.add(i32, base + L_STATE, 1) & RW_WRITER) !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      for (;;) {
        this.backOut(base);
        this.waitFor(base, () => (this.mem.load(i32, base + L_STATE) & RW_WRITER) === 0);
        if ((this.mem.add(i32, base + L_STATE, 1) & RW_WRITER) === 0) break;
      }
    }
    this.mem.lockAcquired(base, 'rw', true, this.stat);
  }

  /** Drop a reader count; the last reader out while a writer waits wakes it. */
  private backOut(base: number): void {
    if (this.mem.sub(this.i32, base + L_STATE, 1) === (RW_WRITER | 1)) wake(this.mem, this.i32, base + L_WQ);
  }

  releaseShared(base: number): void {
    this.mem.lockReleased(base, 'rw', true, this.stat);
    this.backOut(base);
  }

  acquire(base: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    let contended = false;
    // Claim the writer bit; readers entering from now on back out.
    for (;;) {
      const v = this.mem.load(i32, base + L_STATE);
      if ((v & RW_WRITER) === 0 && this.mem.compareExchange(i32, base + L_STATE, v, v | RW_WRITER) === v) break;
      contended = true;
      this.waitFor(base, () => (this.mem.load(i32, base + L_STATE) & RW_WRITER) === 0);
    }
    // Readers already inside finish; the last one wakes us.
    if ((this.mem.load(i32, base + L_STATE) & RW_READERS) !== 0) {
      contended = true;
      this.waitFor(base, () => (this.mem.load(i32, base + L_STATE) & RW_READERS) === 0);
    }
    if (contended) i32[this.stat + LS_CONTENDED]!++;
    i32[base + L_OWNER] = this.cpu + 1;
    this.mem.lockAcquired(base, 'rw', false, this.stat);
  }

  release(base: number): void {
    const i32 = this.i32;
    this.mem.lockReleased(base, 'rw', false, this.stat);
    i32[base + L_OWNER] = 0;
    // Clear only the writer bit: readers backing out may be moving the count at this moment.
    this.mem.and(i32, base + L_STATE, ~RW_WRITER);
    wake(this.mem, i32, base + L_WQ);
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
    let c = this.mem.compareExchange(i32, base + L_STATE, 0, 1);
    if (c !== 0) {
      i32[this.stat + LS_CONTENDED]!++;
      if (c !== 2) c = this.mem.exchange(i32, base + L_STATE, 2);
      while (c !== 0) {
        i32[this.stat + LS_PARKS]!++;
        // Sleeps only while the word is still 2; a release in between makes wait return at once.
        this.mem.wait(i32, base + L_STATE, 2);
        c = this.mem.exchange(i32, base + L_STATE, 2);
      }
    }
    i32[base + L_OWNER] = this.cpu + 1;
    this.mem.lockAcquired(base, 'mutex', false, this.stat);
  }

  release(base: number): void {
    const i32 = this.i32;
    this.mem.lockReleased(base, 'mutex', false, this.stat);
    i32[base + L_OWNER] = 0;
    if (this.mem.sub(i32, base + L_STATE, 1) !== 1) {
      this.mem.store(i32, base + L_STATE, 0);
      this.mem.notify(i32, base + L_STATE, 1);
    }
  }

  acquireShared(base: number): void {
    this.acquire(base);
  }

  releaseShared(base: number): void {
    this.release(base);
  }
}

/** What a lock needs to know about the CPU using it. */
export interface LockContext {
  readonly i32: Int32Array;
  /** How this CPU reaches shared memory (memory.ts). */
  readonly mem: Memory;
  readonly tuning: LockTuning;
  readonly cpu: number;
  readonly cpuBase: number;
  readonly cpuSlots: number;
}

export function makeLock(kind: LockKind, ctx: LockContext, stat: number): Lock {
  switch (kind) {
    case 'ttas':
      return new TtasLock(ctx, stat);
    case 'ticket':
      return new TicketLock(ctx, stat);
    case 'mcs':
      return new McsLock(ctx, stat);
    case 'rw':
      return new RwLock(ctx, stat);
    case 'mutex':
      return new MutexLock(ctx, stat);
  }
}

/**
 * True when the lock at `base` shows neither a holder nor a queued waiter:
 * ticket locks when the served ticket equals the next one, every other kind
 * (which keeps L_NEXT at 0) when its state word is 0.
 */
export function lockIsFree(i32: Int32Array, base: number): boolean {
  return (
    Atomics.load(i32, base + L_STATE) === Atomics.load(i32, base + L_NEXT) && Atomics.load(i32, base + L_OWNER) === 0
  );
}

export { LINE };
