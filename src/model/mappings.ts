/**
 * A CPU's side of the file mappings: mmap, munmap and exit, msync, and the
 * reverse map that page_mkclean walks to write-protect a page's PTEs, with
 * the TLB shoot-downs that costs and the interrupts the other CPUs take for
 * them. The Kernel holds one and delegates to it; the strategy hooks get the
 * Kernel itself.
 */
import type { ModelConfig } from './config.js';
import { mappersOfFile } from './config.js';
import {
  CPU_COUNTERS,
  C_IPIS,
  C_IPI_PENDING,
  C_MAP_GEN,
  C_MSYNCS,
  C_WRPROTECTS,
  P_FLAGS,
  PG_DIRTY,
  cpuAt,
  pageAt,
  pteTableAt,
  type Layout,
} from './layout.js';
import type { Memory } from './memory.js';
import type { MappingRange, Strategy, StrategyKernel } from './strategies/strategy.js';

/** What the mapping operations use of the CPU's kernel (the Kernel provides it). */
export interface MappingHost extends StrategyKernel {
  readonly i32: Int32Array;
  readonly mem: Memory;
  readonly layout: Layout;
  readonly cfg: ModelConfig;
  readonly cpu: number;
  /** This CPU's counters line. */
  readonly ctr: number;
  readonly strategy: Strategy;
  testFlag(ino: number, flag: number): boolean;
  lockPage(pg: number): void;
  unlockPage(pg: number): void;
  /** Each page of `ino` the dirty tag names (Kernel.forEachTaggedDirty). */
  forEachTaggedDirty(ino: number, visit: (page: number, pageSlot: number) => void): void;
  fsync(ino: number): void;
}

export class Mappings {
  private readonly k: MappingHost;
  /** Writer w maps file w unless all share file 0. */
  private readonly separate: boolean;
  /** The writers mapping each file (the reverse map page_mkclean walks), computed once. */
  private readonly mappers: readonly (readonly number[])[];
  /** The msync range handed to the strategy, reused (msync is off the per-store path, but not rare). */
  private readonly range: MappingRange = { writer: 0, gen: 0, last: 0, count: 0 };

  constructor(k: MappingHost, separate: boolean) {
    this.k = k;
    this.separate = separate;
    this.mappers = Array.from({ length: k.layout.files }, (_, f) => mappersOfFile(k.cfg, f));
  }

  private mapGenAt(writer: number): number {
    return cpuAt(this.k.layout, writer) + CPU_COUNTERS + C_MAP_GEN;
  }

  /** mmap: a new mapping of generation `gen`; published so page_mkclean knows this CPU maps the file. */
  mmap(writer: number, gen: number): void {
    const k = this.k;
    k.mem.spend(k.cfg.units.mmapNs);
    k.mem.store(k.i32, this.mapGenAt(writer), gen);
  }

  /**
   * munmap or exit: zap the mapping's PTEs, moving their dirty bits to the
   * pages, then remove the VMA. A live PTE (this generation) was installed
   * writable and dirty by a write fault, and page_mkclean zeroes the PTEs it
   * cleans, so any live PTE left holds a dirty bit; one is enough to tell
   * the strategy. The scan starts at the last page, where a page_fault3 pass
   * ends, so it usually stops at once.
   */
  munmap(writer: number, gen: number): void {
    const k = this.k;
    const file = this.separate ? writer : 0;
    const pte = pteTableAt(k.layout, writer);
    for (let p = k.layout.pages - 1; p >= 0; p--) {
      if (k.mem.load(k.i32, pte + p) === gen) {
        k.strategy.dirtyFromPte(k, file);
        break;
      }
    }
    // The PTEs are gone (the next mapping has another generation): no shoot-down needs this CPU for them.
    k.mem.store(k.i32, this.mapGenAt(writer), 0);
    k.strategy.munmap(k, file);
  }

  /**
   * msync on `writer`'s mapping. `last` and `count`: the pages stored since
   * the previous msync (the writer stores in page order). The call covers
   * the whole mapping, but only those pages can have a live PTE (the
   * previous msync or writeback protected the rest), so only they are looked
   * at. MS_SYNC is vfs_fsync of the file. MS_ASYNC does nothing in mainline
   * since 2.6.19 beyond the syscall; a strategy's hook may do more.
   */
  msync(writer: number, gen: number, last: number, count: number, sync: boolean): void {
    const k = this.k;
    k.i32[k.ctr + C_MSYNCS]!++;
    k.mem.spend(k.cfg.units.msyncNs);
    const file = this.separate ? writer : 0;
    if (sync) {
      k.fsync(file);
      return;
    }
    const r = this.range;
    r.writer = writer;
    r.gen = gen;
    r.last = last;
    r.count = Math.min(count, k.layout.pages);
    k.strategy.msync(k, file, r);
  }

  /**
   * page_mkclean every page of the range whose PTE in that mapping is live
   * (follow_page with FOLL_WRITE finds only writable PTEs), under its page
   * lock. The pages stay dirty; the next store to each faults again.
   */
  mkcleanMapping(m: MappingRange): number {
    const k = this.k;
    const file = this.separate ? m.writer : 0;
    const pte = pteTableAt(k.layout, m.writer);
    const pages = k.layout.pages;
    let n = 0;
    for (let i = 0; i < m.count; i++) {
      const p = (m.last - i + pages) % pages;
      if (k.mem.load(k.i32, pte + p) !== m.gen) continue;
      const pg = pageAt(k.layout, file, p);
      k.lockPage(pg);
      if (this.mkclean(file, p)) n++;
      k.unlockPage(pg);
    }
    return n;
  }

  /**
   * page_mkclean: write-protect every PTE mapping page `p` of `file`, so the
   * next store to it faults. Page lock held. The rmap walk costs its work per
   * page; each live PTE (its writer's current generation: writable and
   * dirty) costs a write-protect, moves its dirty bit to the page (the
   * strategy's dirtyFromPte), and needs a TLB shoot-down: the CPUs mapping
   * the file other than this one each get an interrupt to take, and this CPU
   * waits for them. Returns whether a PTE was live.
   */
  mkclean(file: number, p: number): boolean {
    const k = this.k;
    const i32 = k.i32;
    const u = k.cfg.units;
    k.mem.spend(u.rmapWalkNs);
    let live = 0;
    let remote = 0;
    for (const w of this.mappers[file]!) {
      const at = pteTableAt(k.layout, w) + p;
      const v = k.mem.load(i32, at);
      if (v === 0) continue;
      k.mem.store(i32, at, 0);
      if (v !== k.mem.load(i32, this.mapGenAt(w))) continue;
      live++;
      if (w !== k.cpu) {
        remote++;
        k.mem.add(i32, cpuAt(k.layout, w) + CPU_COUNTERS + C_IPI_PENDING, 1);
      }
    }
    if (live === 0) return false;
    i32[k.ctr + C_WRPROTECTS]! += live;
    k.mem.spend(live * u.pteProtectNs + (remote > 0 ? u.tlbShootdownNs : 0));
    k.strategy.dirtyFromPte(k, file);
    return true;
  }

  /**
   * Write-protect the dirty pages of `ino` without writing them back, so the
   * next store to each faults and runs page_mkwrite. Returns pages protected.
   */
  writeProtectDirty(ino: number, dirtyPagesFlag: number): number {
    const k = this.k;
    if (!k.testFlag(ino, dirtyPagesFlag)) return 0;
    let n = 0;
    k.forEachTaggedDirty(ino, (p, pg) => {
      k.lockPage(pg);
      // Still dirty under the lock (writeback may have cleaned it since the tag was read): only then protect it.
      if ((k.mem.load(k.i32, pg + P_FLAGS) & PG_DIRTY) !== 0) {
        this.mkclean(ino, p);
        n++;
      }
      k.unlockPage(pg);
    });
    return n;
  }

  /**
   * Take the TLB shoot-down interrupts other CPUs sent this one: each costs
   * an interrupt's work. Writers call it every few dozen stores: the
   * interrupt's cost is paid within microseconds, and the store path carries
   * no extra load.
   */
  takeInterrupts(): void {
    const k = this.k;
    const at = k.ctr + C_IPI_PENDING;
    if (k.mem.load(k.i32, at) === 0) return;
    const n = k.mem.exchange(k.i32, at, 0);
    k.i32[k.ctr + C_IPIS]! += n;
    k.mem.spend(n * k.cfg.units.ipiNs);
  }
}
