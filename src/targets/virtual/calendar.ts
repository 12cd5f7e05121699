/**
 * A calendar of busy intervals in virtual time (ns) for one resource: a
 * cache line (its transfers) or a lock (its holds). Intervals are kept
 * sorted, disjoint and merged when they touch, so a resource that is busy
 * without a gap is one interval however many uses it holds; each interval
 * counts the uses merged into it and remembers the CPU whose use ends it.
 *
 * A new use is placed in the earliest gap at or after its request time, not
 * after the last use placed: CPUs are stepped in virtual-time order only to
 * within one operation, so a CPU whose operation starts earlier in virtual
 * time may be placed after a reservation that merely ran first.
 *
 * Intervals that end before the horizon (the smallest clock of any CPU) can
 * no longer block anyone and are dropped. All storage is typed arrays that
 * grow by doubling: placing a use allocates nothing.
 */
export class Calendar {
  start = new Float64Array(4);
  end = new Float64Array(4);
  count = new Float64Array(4);
  who = new Int32Array(4);
  /** Live intervals are [head, head + size). */
  head = 0;
  size = 0;

  /** Drop the intervals that end at or before `horizon`. */
  prune(horizon: number): void {
    const end = this.end;
    while (this.size > 0 && end[this.head]! <= horizon) {
      this.head++;
      this.size--;
    }
    if (this.size === 0) this.head = 0;
  }

  /** Index of the first live interval that ends after `t` (head + size when none does). */
  firstEndingAfter(t: number): number {
    let lo = this.head;
    let hi = this.head + this.size;
    const end = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (end[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Earliest s >= t with [s, s + len) free (no hand-off pad: line transfers). */
  fit(t: number, len: number): number {
    let cur = t;
    const stop = this.head + this.size;
    for (let i = this.firstEndingAfter(t); i < stop; i++) {
      if (this.start[i]! >= cur + len) break;
      if (this.end[i]! > cur) cur = this.end[i]!;
    }
    return cur;
  }

  /**
   * Mark [a, b) busy by `n` uses of `cpu`, merging it with every interval it
   * overlaps or touches (readers of a lock overlap one another; everything
   * else is placed in a gap and at most touches its neighbours).
   */
  insert(a: number, b: number, n: number, cpu: number): void {
    let lo = this.firstEndingAfter(a);
    // An interval ending exactly at `a` touches it: merge that one too.
    if (lo > this.head && this.end[lo - 1]! >= a) lo--;
    let hi = lo;
    const stop = this.head + this.size;
    let s = a;
    let e = b;
    let who = cpu;
    while (hi < stop && this.start[hi]! <= b) {
      if (this.start[hi]! < s) s = this.start[hi]!;
      if (this.end[hi]! > e) {
        e = this.end[hi]!;
        who = this.who[hi]!;
      }
      n += this.count[hi]!;
      hi++;
    }
    const merged = hi - lo;
    if (merged === 0) this.openSlot(lo);
    else if (merged > 1) this.closeSlots(lo + 1, merged - 1);
    this.start[lo] = s;
    this.end[lo] = e;
    this.count[lo] = n;
    this.who[lo] = who;
  }

  /** Make room for one interval at index `at`, shifting the later ones up (compacting or growing first if needed). */
  private openSlot(at: number): void {
    if (at === this.head + this.size && at < this.start.length) {
      this.size++;
      return;
    }
    if (this.head + this.size === this.start.length) {
      const shift = this.head;
      if (this.size + 1 > this.start.length / 2) this.grow();
      else this.compact();
      at -= shift;
    }
    const stop = this.head + this.size;
    this.start.copyWithin(at + 1, at, stop);
    this.end.copyWithin(at + 1, at, stop);
    this.count.copyWithin(at + 1, at, stop);
    this.who.copyWithin(at + 1, at, stop);
    this.size++;
  }

  private closeSlots(at: number, n: number): void {
    const stop = this.head + this.size;
    this.start.copyWithin(at, at + n, stop);
    this.end.copyWithin(at, at + n, stop);
    this.count.copyWithin(at, at + n, stop);
    this.who.copyWithin(at, at + n, stop);
    this.size -= n;
  }

  /** Move the live intervals to the front. */
  private compact(): void {
    const h = this.head;
    const stop = h + this.size;
    this.start.copyWithin(0, h, stop);
    this.end.copyWithin(0, h, stop);
    this.count.copyWithin(0, h, stop);
    this.who.copyWithin(0, h, stop);
    this.head = 0;
  }

  private grow(): void {
    const cap = this.start.length * 2;
    const h = this.head;
    const stop = h + this.size;
    const start = new Float64Array(cap);
    const end = new Float64Array(cap);
    const count = new Float64Array(cap);
    const who = new Int32Array(cap);
    start.set(this.start.subarray(h, stop));
    end.set(this.end.subarray(h, stop));
    count.set(this.count.subarray(h, stop));
    who.set(this.who.subarray(h, stop));
    this.start = start;
    this.end = end;
    this.count = count;
    this.who = who;
    this.head = 0;
  }
}
