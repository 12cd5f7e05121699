/**
 * lock_page: the PG_LOCKED bit in a page's flags word, taken with a CAS and
 * slept on in a hashed wait queue (layout.ts pageWqAt), as the kernel's
 * page_waitqueue. One object per CPU: it carries that CPU's page-lock
 * statistics slots.
 */
import { LS_ACQ, LS_CONTENDED, LS_PARKS, P_FLAGS, PG_LOCKED, pageWqAt, type Layout } from '../layout.js';
import type { Memory } from '../memory.js';
import { park, wake, type LockContext } from './locks.js';

export class PageLock {
  private readonly i32: Int32Array;
  private readonly mem: Memory;
  private readonly layout: Layout;
  private readonly stat: number;

  /** `stat`: this CPU's statistics slots for page locks (layout.ts lockStatAt with LC_PAGE). */
  constructor(ctx: LockContext, layout: Layout, stat: number) {
    this.i32 = ctx.i32;
    this.mem = ctx.mem;
    this.layout = layout;
    this.stat = stat;
  }

  /** Lock the page whose slots start at `pg`. */
  acquire(pg: number): void {
    const i32 = this.i32;
    i32[this.stat + LS_ACQ]!++;
    const v = this.mem.load(i32, pg + P_FLAGS);
    if ((v & PG_LOCKED) === 0 && this.mem.compareExchange(i32, pg + P_FLAGS, v, v | PG_LOCKED) === v) {
      this.locked(pg);
      return;
    }
    this.acquireContended(pg);
  }

  /**
   * The first try failed: retry, sleeping on the hashed queue while the page
   * stays locked. Apart from acquire() so that the uncontended path stays
   * small enough for the compiler to inline into the fault path.
   */
  private acquireContended(pg: number): void {
    const i32 = this.i32;
    const stat = this.stat;
    i32[stat + LS_CONTENDED]!++;
    const wq = pageWqAt(this.layout, pg);
    for (;;) {
      const v = this.mem.load(i32, pg + P_FLAGS);
      if ((v & PG_LOCKED) === 0) {
        if (this.mem.compareExchange(i32, pg + P_FLAGS, v, v | PG_LOCKED) === v) {
          this.locked(pg);
          return;
        }
        continue;
      }
      // Page locks are held briefly but can be held by a preempted thread: sleep on the hashed queue.
      i32[stat + LS_PARKS]!++;
      park(this.mem, i32, wq, () => (this.mem.load(i32, pg + P_FLAGS) & PG_LOCKED) !== 0);
    }
  }

  /** lock_page sleeps on a hashed wait queue when the page is locked, so a contended hand-off is a wake-up: 'mutex'. */
  private locked(pg: number): void {
    this.mem.lockAcquired(pg + P_FLAGS, 'mutex', false, this.stat);
  }

  release(pg: number): void {
    this.mem.lockReleased(pg + P_FLAGS, 'mutex', false, this.stat);
    // Clear the bit before looking for sleepers (see park()).
    this.mem.and(this.i32, pg + P_FLAGS, ~PG_LOCKED);
    wake(this.mem, this.i32, pageWqAt(this.layout, pg));
  }
}
