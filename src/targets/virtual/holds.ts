/**
 * Lock holds in virtual time. An operation runs atomically, so functionally
 * a lock is always free when taken; the waiting its algorithm implies comes
 * from here. Each lock has a calendar of holds (readers of an rw lock a
 * second one, since readers share); a hold is placed in the earliest gap at
 * or after its arrival, and when it had to queue, it starts a hand-off
 * after the hold it queued behind. The hand-off is what differs by kind:
 *  - ticket: the release bumps the one line every waiter spins on, each
 *    waiter re-reads it, and the next holder's read waits behind about half
 *    the others' (Boyd-Wickizer et al., "Non-scalable locks are dangerous",
 *    Linux Symposium 2012): one transfer times 1 + (w - 1) / 2 for w waiters;
 *  - mcs: one transfer, to the successor's own node;
 *  - ttas: every waiter's test-and-set after the release takes the line in
 *    turn: one transfer per waiter;
 *  - rw: readers exclude only writers and a writer every hold; one transfer
 *    of the lock word (the read side's own atomic add is charged by the
 *    coherence model, which is the j_state_lock cost);
 *  - mutex: the sleeping waiter's futex wake-up (Hardware.wakeNs).
 * The waiters at a hand-off are estimated by the holds the new one queued
 * behind (in a saturated lock as many arrive during a wait as are served).
 * The hand-off time counts as busy: the lock is in transit.
 */
import type { LockKind } from '../../model/locks/kinds.js';
import { Calendar } from './calendar.js';

/** Places holds: the latency table and wake-up cost of the machine. */
export class HoldPlacer {
  private readonly lat: Float64Array;
  private readonly cpus: number;
  private readonly wakeNs: number;
  /** Where the hold placed last begins to occupy the lock: its hand-off start when it queued, else its start. */
  busyFrom = 0;

  constructor(lat: Float64Array, cpus: number, wakeNs: number) {
    this.lat = lat;
    this.cpus = cpus;
    this.wakeNs = wakeNs;
  }

  /** Hand-off from `from`'s release to `me` with `waiters` waiting. */
  handoff(kind: LockKind, waiters: number, from: number, me: number): number {
    const line = from < 0 ? 0 : this.lat[from * this.cpus + me]!;
    switch (kind) {
      case 'ticket':
        return line * (1 + (Math.max(1, waiters) - 1) / 2);
      case 'ttas':
        return line * Math.max(1, waiters);
      case 'mcs':
      case 'rw':
        return line;
      case 'mutex':
        return this.wakeNs;
    }
  }

  /** Earliest start >= t of a hold of `len` ns against `cal`; sets busyFrom. */
  private fitIn(cal: Calendar, t: number, len: number, kind: LockKind, me: number): number {
    let cur = t;
    let waiters = 0;
    let pad = 0;
    const stop = cal.head + cal.size;
    for (let i = cal.firstEndingAfter(t); i < stop; i++) {
      const a = cal.start(i);
      const b = cal.end(i);
      if (a >= cur + pad + len) break;
      if (b > cur) {
        // Queued behind this interval's holds; of one already under way at arrival, only the part still to come.
        waiters += a >= cur ? cal.count(i) : (cal.count(i) * (b - cur)) / (b - a);
        cur = b;
        pad = this.handoff(kind, waiters, cal.who(i), me);
      }
    }
    this.busyFrom = cur;
    return cur + pad;
  }

  /**
   * Where a hold arriving at `t` for `len` ns starts (sets busyFrom), against
   * the lock's exclusive holds and, for an rw writer, its readers' holds.
   */
  place(
    excl: Calendar,
    readers: Calendar,
    t: number,
    len: number,
    kind: LockKind,
    shared: boolean,
    me: number,
  ): number {
    if (kind !== 'rw' || shared) return this.fitIn(excl, t, len, kind, me);
    // A writer needs a gap free of writers and of readers: alternate until both agree.
    let s = t;
    let from = t;
    for (;;) {
      const a = this.fitIn(excl, s, len, kind, me);
      if (a !== s) from = this.busyFrom;
      const b = this.fitIn(readers, a, len, kind, me);
      if (b !== a) from = this.busyFrom;
      if (b === s) break;
      s = b;
    }
    this.busyFrom = from;
    return s;
  }
}
