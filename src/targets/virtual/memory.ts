/**
 * One virtual CPU's Memory: every operation is performed on the shared array
 * directly (one thread runs every virtual CPU, and a step runs atomically),
 * and charged to this CPU's clock (`now`, ns) through the machine's
 * coherence model. spend() advances the clock by the profile's nanoseconds
 * (virtual runs use 1 work unit = 1 ns).
 *
 * wait() is never reached in a correct virtual run: a step runs atomically,
 * so nothing it could wait for is held by another CPU. Reaching it means the
 * model blocks on state no other step can change in between, and the run
 * fails naming the slot rather than hang or silently skip the wait.
 */
import { LOCK_CLASSES, LS_FIELDS } from '../../model/layout.js';
import type { LockKind } from '../../model/locks/kinds.js';
import type { Memory } from '../../model/memory.js';
import { Calendar } from './calendar.js';
import type { VirtualMachine } from './machine.js';

/** Most locks one CPU holds at once (fault path: inode, ctx, hot; commit: page and one more). */
const MAX_HELD = 16;
const CLASSES = LOCK_CLASSES.length;
/** The length a hold is placed with when taken, before its real length is known: any, but not zero (a zero-length hold fits in front of anything). */
const TENTATIVE_NS = 1e-3;
/** The readers' calendar of a lock that has no readers (every kind but rw). */
const NO_HOLDS = new Calendar();

export class VirtualMemory implements Memory {
  readonly cpu: number;
  private readonly m: VirtualMachine;
  private readonly clock: Float64Array;
  /** First statistics slot of this CPU (lockStatAt(layout, cpu, 0)): a lock's stat slot names its class. */
  private readonly statBase: number;
  private readonly slowdown: number;
  // The locks held now: base, arrival, tentative start.
  private readonly heldBase = new Int32Array(MAX_HELD);
  private readonly heldArrival = new Float64Array(MAX_HELD);
  private readonly heldStart = new Float64Array(MAX_HELD);
  private held = 0;

  constructor(m: VirtualMachine, cpu: number, statBase: number) {
    this.m = m;
    this.clock = m.clock;
    this.cpu = cpu;
    this.statBase = statBase;
    this.slowdown = m.slowdown[cpu]!;
  }

  load(a: Int32Array, i: number): number {
    this.m.read(this.cpu, i);
    return a[i]!;
  }

  store(a: Int32Array, i: number, v: number): number {
    this.m.write(this.cpu, i);
    a[i] = v;
    return v;
  }

  add(a: Int32Array, i: number, v: number): number {
    this.m.write(this.cpu, i);
    const old = a[i]!;
    a[i] = old + v;
    return old;
  }

  sub(a: Int32Array, i: number, v: number): number {
    this.m.write(this.cpu, i);
    const old = a[i]!;
    a[i] = old - v;
    return old;
  }

  and(a: Int32Array, i: number, v: number): number {
    this.m.write(this.cpu, i);
    const old = a[i]!;
    a[i] = old & v;
    return old;
  }

  or(a: Int32Array, i: number, v: number): number {
    this.m.write(this.cpu, i);
    const old = a[i]!;
    a[i] = old | v;
    return old;
  }

  exchange(a: Int32Array, i: number, v: number): number {
    this.m.write(this.cpu, i);
    const old = a[i]!;
    a[i] = v;
    return old;
  }

  /** A failed compare-and-swap still takes the line exclusively, as lock cmpxchg does. */
  compareExchange(a: Int32Array, i: number, expected: number, replacement: number): number {
    this.m.write(this.cpu, i);
    const old = a[i]!;
    if (old === (expected | 0)) a[i] = replacement;
    return old;
  }

  wait(a: Int32Array, i: number, v: number): 'ok' | 'not-equal' | 'timed-out' {
    throw new Error(
      `virtual CPU ${this.cpu} would sleep on slot ${i} (holding ${a[i]}, waiting while it is ${v}): ` +
        'a step runs atomically, so nothing could wake it',
    );
  }

  notify(_a: Int32Array, i: number, count = Infinity): number {
    return this.m.notify(i, this.now, count);
  }

  /** This CPU's clock, ns of virtual time. */
  get now(): number {
    return this.clock[this.cpu]!;
  }

  set now(t: number) {
    this.clock[this.cpu] = t;
  }

  /** The profile's work for a step, at the speed this CPU's core leaves it (SMT siblings share its execution). */
  spend(units: number): void {
    this.clock[this.cpu]! += units * this.slowdown;
  }

  pause(units: number): void {
    this.clock[this.cpu]! += units;
  }

  /** Move the clock to the earliest start the lock's calendar allows (refined at release, when the hold's length is known). */
  lockAcquired(base: number, kind: LockKind, shared: boolean, _stat: number): void {
    const n = this.held;
    if (n === MAX_HELD) throw new Error(`virtual CPU ${this.cpu} holds more than ${MAX_HELD} locks`);
    const m = this.m;
    const id = m.lockId(base);
    const now = this.clock[this.cpu]!;
    let start = now;
    // Nothing held or queued on the lock that could still matter: it is free now (the common, uncontended case).
    const free = m.lockHolds.idle(id, m.horizon) && (kind !== 'rw' || shared || m.readerHolds.idle(id, m.horizon));
    if (!free) {
      const excl = m.lockHolds.open(id, m.horizon);
      const readers = kind === 'rw' ? m.readerHolds.open(id, m.horizon) : NO_HOLDS;
      start = m.holds.place(excl, readers, now, TENTATIVE_NS, kind, shared, this.cpu);
      m.lockHolds.close(id, excl);
      if (kind === 'rw') m.readerHolds.close(id, readers);
    }
    this.heldBase[n] = base;
    this.heldArrival[n] = now;
    this.heldStart[n] = start;
    this.held = n + 1;
    this.clock[this.cpu] = start;
  }

  /** Place the whole hold (its length now known) in the earliest gap; the clock moves by whatever more it must wait. */
  lockReleased(base: number, kind: LockKind, shared: boolean, stat: number): void {
    let j = this.held - 1;
    while (j >= 0 && this.heldBase[j] !== base) j--;
    if (j < 0) throw new Error(`virtual CPU ${this.cpu} releases the lock at slot ${base}, which it does not hold`);
    const arrival = this.heldArrival[j]!;
    const tentative = this.heldStart[j]!;
    for (let k = j + 1; k < this.held; k++) {
      this.heldBase[k - 1] = this.heldBase[k]!;
      this.heldArrival[k - 1] = this.heldArrival[k]!;
      this.heldStart[k - 1] = this.heldStart[k]!;
    }
    this.held--;
    const m = this.m;
    const now = this.clock[this.cpu]!;
    const len = now - tentative;
    const id = m.lockId(base);
    const mine = kind === 'rw' && shared ? m.readerHolds : m.lockHolds;
    if (
      tentative === arrival &&
      mine.idle(id, m.horizon) &&
      (kind !== 'rw' || shared || m.readerHolds.idle(id, m.horizon))
    ) {
      // Taken at once and still alone on the lock: the hold is [arrival, now), no wait.
      if (kind !== 'rw' || !shared || m.lockHolds.idle(id, m.horizon)) {
        mine.put(id, arrival, now, this.cpu);
        return;
      }
    }
    const excl = m.lockHolds.open(id, m.horizon);
    const readers = kind === 'rw' ? m.readerHolds.open(id, m.horizon) : NO_HOLDS;
    const start = m.holds.place(excl, readers, arrival, len, kind, shared, this.cpu);
    const end = Math.max(now, start + len);
    (kind === 'rw' && shared ? readers : excl).insert(m.holds.busyFrom, end, 1, this.cpu);
    m.lockHolds.close(id, excl);
    if (kind === 'rw') m.readerHolds.close(id, readers);
    this.clock[this.cpu] = end;
    const cls = ((stat - this.statBase) / LS_FIELDS) | 0;
    m.lockWaitNs[this.cpu * CLASSES + cls]! += m.inWindow(arrival, end - len);
  }
}
