/**
 * The discrete-event scheduler's queue: a binary min-heap of CPUs keyed by
 * the virtual time each runs next, ties broken by a fixed per-CPU rank (a
 * seeded permutation), so the order is deterministic for a seed. Keys can be
 * moved (a sleeping CPU woken early). Typed arrays only.
 */
export class CpuHeap {
  readonly key: Float64Array;
  private readonly rank: Int32Array;
  private readonly heap: Int32Array;
  /** Position of each CPU in `heap`, -1 when not queued. */
  private readonly pos: Int32Array;
  size = 0;

  constructor(cpus: number, rank: Int32Array) {
    this.key = new Float64Array(cpus);
    this.rank = rank;
    this.heap = new Int32Array(cpus);
    this.pos = new Int32Array(cpus).fill(-1);
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka < kb || (ka === kb && this.rank[a]! < this.rank[b]!);
  }

  push(cpu: number, at: number): void {
    this.key[cpu] = at;
    const i = this.size++;
    this.heap[i] = cpu;
    this.pos[cpu] = i;
    this.up(i);
  }

  /** The CPU that runs next (heap not empty). */
  peek(): number {
    return this.heap[0]!;
  }

  pop(): number {
    const top = this.heap[0]!;
    const last = this.heap[--this.size]!;
    this.pos[top] = -1;
    if (this.size > 0) {
      this.heap[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    return top;
  }

  /** Move a queued CPU to run at `at`. */
  move(cpu: number, at: number): void {
    const i = this.pos[cpu]!;
    if (i < 0) return;
    const old = this.key[cpu]!;
    this.key[cpu] = at;
    if (at < old) this.up(i);
    else this.down(i);
  }

  private up(i: number): void {
    const h = this.heap;
    const c = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pc = h[p]!;
      if (!this.less(c, pc)) break;
      h[i] = pc;
      this.pos[pc] = i;
      i = p;
    }
    h[i] = c;
    this.pos[c] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.size;
    const c = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(h[r]!, h[l]!) ? r : l;
      if (!this.less(h[m]!, c)) break;
      h[i] = h[m]!;
      this.pos[h[i]!] = i;
      i = m;
    }
    h[i] = c;
    this.pos[c] = i;
  }
}
