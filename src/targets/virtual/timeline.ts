/**
 * Calendars for many resources of one sort (every cache line, every lock),
 * without a Calendar object per resource: most resources are never
 * contended and hold at most one live interval, kept in typed arrays here.
 * Only a resource with two live intervals at once gets a Calendar of its
 * own, and hands it back to a free list once pruning leaves it one again.
 *
 * Use: `open(r)` returns the resource's calendar (its own, or a scratch one
 * loaded with its single interval), pruned to the horizon; place and insert
 * in it; then `close(r)` stores it back. At most one resource of a Timeline
 * is open at a time.
 *
 * A resource may keep its own calendar long after its intervals ended (a
 * page lock a writer and the flusher both held, not taken again until the
 * writer's next pass): whenever the resources with calendars of their own
 * have doubled since the last look, those the horizon has left with one
 * interval or none hand theirs back. The calendars in use then stay about
 * as many as the resources really contended at once, not every resource
 * ever contended.
 */
import { Calendar } from './calendar.js';

/** Fewest owners worth a look: a look costs one visit per owner, so it comes at most once per this many calendars handed out. */
const SWEEP_AT_LEAST = 4096;

export class Timeline {
  private from: Float64Array;
  private to: Float64Array;
  private count: Float64Array;
  private who: Int32Array;
  /** Index into `own` + 1 of a resource's own calendar, or 0. */
  private own: Int32Array;
  private readonly calendars: Calendar[] = [];
  private readonly free: number[] = [];
  private readonly scratch = new Calendar();
  /** The resources that have calendars of their own (some possibly idle by now). */
  private owners: number[] = [];
  /** Look for idle calendars when this many resources own one. */
  private sweepAt = SWEEP_AT_LEAST;
  /** The horizon the last open() pruned to. */
  private horizon = 0;

  constructor(resources: number) {
    this.from = new Float64Array(resources);
    this.to = new Float64Array(resources);
    this.count = new Float64Array(resources);
    this.who = new Int32Array(resources);
    this.own = new Int32Array(resources);
  }

  get resources(): number {
    return this.from.length;
  }

  /** Room for at least `n` resources (ids are handed out densely by the caller). */
  ensure(n: number): void {
    if (n <= this.from.length) return;
    let cap = this.from.length * 2;
    while (cap < n) cap *= 2;
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.from = f64(this.from);
    this.to = f64(this.to);
    this.count = f64(this.count);
    this.who = i32(this.who);
    this.own = i32(this.own);
  }

  /**
   * Fast path for the common case: true when resource `r` has no interval
   * that could still block anyone (none ends after the horizon), so a use
   * can be recorded with `put` without opening a calendar.
   */
  idle(r: number, horizon: number): boolean {
    return this.own[r] === 0 && this.to[r]! <= horizon;
  }

  /** Record [a, b) by `cpu` as the resource's only interval (after `idle` said true). */
  put(r: number, a: number, b: number, cpu: number): void {
    this.from[r] = a;
    this.to[r] = b;
    this.count[r] = 1;
    this.who[r] = cpu;
  }

  open(r: number, horizon: number): Calendar {
    this.horizon = horizon;
    const o = this.own[r]!;
    if (o !== 0) {
      const cal = this.calendars[o - 1]!;
      cal.prune(horizon);
      return cal;
    }
    const s = this.scratch;
    s.head = 0;
    s.size = 0;
    if (this.to[r]! > horizon) s.reset(this.from[r]!, this.to[r]!, this.count[r]!, this.who[r]!);
    return s;
  }

  close(r: number, cal: Calendar): void {
    if (cal.size > 1) {
      if (cal !== this.scratch) return;
      // A second live interval: the resource gets a calendar of its own.
      let o = this.free.pop();
      if (o === undefined) {
        this.calendars.push(new Calendar());
        o = this.calendars.length;
      }
      const mine = this.calendars[o - 1]!;
      mine.head = 0;
      mine.size = 0;
      for (let i = cal.head; i < cal.head + cal.size; i++)
        mine.insert(cal.start(i), cal.end(i), cal.count(i), cal.who(i));
      this.own[r] = o;
      this.owners.push(r);
      if (this.owners.length >= this.sweepAt) this.sweep();
      return;
    }
    this.settle(r, cal);
  }

  /** Store a calendar of one interval or none back in the arrays; an own calendar returns to the free list. */
  private settle(r: number, cal: Calendar): void {
    if (cal.size === 1) {
      const i = cal.head;
      this.from[r] = cal.start(i);
      this.to[r] = cal.end(i);
      this.count[r] = cal.count(i);
      this.who[r] = cal.who(i);
    } else {
      this.to[r] = 0;
    }
    if (cal !== this.scratch) {
      this.free.push(this.own[r]!);
      this.own[r] = 0;
    }
  }

  /** Hand back the calendars the horizon has left with one interval or none (every open() prunes to a later one). */
  private sweep(): void {
    const keep: number[] = [];
    // A resource handed back by close() and owned again since is listed twice: visit it once.
    for (const r of new Set(this.owners)) {
      const o = this.own[r]!;
      if (o === 0) continue;
      const cal = this.calendars[o - 1]!;
      cal.prune(this.horizon);
      if (cal.size > 1) keep.push(r);
      else this.settle(r, cal);
    }
    this.owners = keep;
    this.sweepAt = Math.max(SWEEP_AT_LEAST, 2 * this.owners.length);
  }
}
