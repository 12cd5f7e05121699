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
/** Fields of one interval in `Calendar.d`. */
export const START = 0;
export const END = 1;
export const COUNT = 2;
export const WHO = 3;
const STRIDE = 4;

export class Calendar {
  /** Interval i is d[4i .. 4i+3]: start, end, uses merged, the CPU whose use ends it. One array: cheap to create. */
  d = new Float64Array(4 * STRIDE);
  /** Live intervals are [head, head + size). */
  head = 0;
  size = 0;

  start(i: number): number {
    return this.d[i * STRIDE + START]!;
  }

  end(i: number): number {
    return this.d[i * STRIDE + END]!;
  }

  count(i: number): number {
    return this.d[i * STRIDE + COUNT]!;
  }

  who(i: number): number {
    return this.d[i * STRIDE + WHO]!;
  }

  private get capacity(): number {
    return this.d.length / STRIDE;
  }

  /** Drop the intervals that end at or before `horizon`. */
  prune(horizon: number): void {
    const d = this.d;
    while (this.size > 0 && d[this.head * STRIDE + END]! <= horizon) {
      this.head++;
      this.size--;
    }
    if (this.size === 0) this.head = 0;
  }

  /** Index of the first live interval that ends after `t` (head + size when none does). */
  firstEndingAfter(t: number): number {
    let lo = this.head;
    let hi = this.head + this.size;
    const d = this.d;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid * STRIDE + END]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Earliest s >= t with [s, s + len) free (no hand-off pad: line transfers). */
  fit(t: number, len: number): number {
    let cur = t;
    const d = this.d;
    const stop = this.head + this.size;
    for (let i = this.firstEndingAfter(t); i < stop; i++) {
      if (d[i * STRIDE + START]! >= cur + len) break;
      const e = d[i * STRIDE + END]!;
      if (e > cur) cur = e;
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
    const d = this.d;
    // An interval ending exactly at `a` touches it: merge that one too.
    if (lo > this.head && d[(lo - 1) * STRIDE + END]! >= a) lo--;
    let hi = lo;
    const stop = this.head + this.size;
    let s = a;
    let e = b;
    let who = cpu;
    while (hi < stop && d[hi * STRIDE + START]! <= b) {
      const j = hi * STRIDE;
      if (d[j + START]! < s) s = d[j + START]!;
      if (d[j + END]! > e) {
        e = d[j + END]!;
        who = d[j + WHO]!;
      }
      n += d[j + COUNT]!;
      hi++;
    }
    const merged = hi - lo;
    if (merged === 0) lo = this.openSlot(lo);
    else if (merged > 1) this.closeSlots(lo + 1, merged - 1);
    const j = lo * STRIDE;
    this.d[j + START] = s;
    this.d[j + END] = e;
    this.d[j + COUNT] = n;
    this.d[j + WHO] = who;
  }

  /** Make room for one interval at index `at`, shifting the later ones up (compacting or growing first if needed); returns its index. */
  private openSlot(at: number): number {
    if (this.head + this.size === this.capacity) {
      at -= this.head;
      if (this.size + 1 > this.capacity / 2) this.grow();
      else this.compact();
    }
    const stop = this.head + this.size;
    if (at < stop) this.d.copyWithin((at + 1) * STRIDE, at * STRIDE, stop * STRIDE);
    this.size++;
    return at;
  }

  private closeSlots(at: number, n: number): void {
    const stop = this.head + this.size;
    this.d.copyWithin(at * STRIDE, (at + n) * STRIDE, stop * STRIDE);
    this.size -= n;
  }

  /** Move the live intervals to the front. */
  private compact(): void {
    this.d.copyWithin(0, this.head * STRIDE, (this.head + this.size) * STRIDE);
    this.head = 0;
  }

  private grow(): void {
    const d = new Float64Array(this.d.length * 2);
    d.set(this.d.subarray(this.head * STRIDE, (this.head + this.size) * STRIDE));
    this.d = d;
    this.head = 0;
  }

  /** Load [a, b) as the only interval. */
  reset(a: number, b: number, n: number, cpu: number): void {
    this.head = 0;
    this.size = 1;
    this.d[START] = a;
    this.d[END] = b;
    this.d[COUNT] = n;
    this.d[WHO] = cpu;
  }
}
