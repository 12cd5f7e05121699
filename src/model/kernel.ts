/**
 * The model kernel as one thread sees it: the fault path, page writeback,
 * inode timestamp updates and getattr, over the shared state laid out in
 * layout.ts. Every thread (writers, services, the coordinator's final sync)
 * builds its own Kernel over the same SharedArrayBuffer.
 */
import { fileOfWriter, mappersOfFile, type ModelConfig } from './config.js';
import { makeJournal, type Journal, type JournalHost } from './journals/index.js';
import {
  CPU_COUNTERS,
  CPU_SLOTS,
  CTL_EPOCH_F64,
  CTL_JIFFIES,
  CTL_MG_FLOOR,
  C_FAULTS,
  C_IPIS,
  C_IPI_PENDING,
  C_MAP_GEN,
  C_MSYNCS,
  C_WRPROTECTS,
  C_IVERSION_BUMPS,
  C_PAGES_WRITTEN,
  C_POLLS,
  C_REFAULTS,
  C_SAMPLE_HEAD,
  C_SAMPLES_DROPPED,
  C_SEQ_RETRIES,
  C_STORES,
  C_TIME_UPDATES,
  IF_CTIME_QUERIED,
  IF_DIRTY_PAGES,
  IF_DIRTY_TIME,
  IVERSION_INCREMENT,
  IVERSION_QUERIED,
  I_CTIME,
  I_DIRTIED_WHEN,
  I_DIRTYTIME_WHEN,
  I_FLAGS,
  I_IVERSION,
  I_LOCK,
  I_MTIME,
  I_SEQ,
  LC_INODE,
  LC_PAGE,
  LS_ACQ,
  LS_CONTENDED,
  LS_PARKS,
  P_DATA,
  P_FLAGS,
  P_WBDATA,
  PAGE_SLOTS,
  PG_DIRTY,
  PG_LOCKED,
  cpuAt,
  inodeAt,
  lockStatAt,
  pageAt,
  pageWqAt,
  pteTableAt,
  SAMPLE_RING,
  sampleRingAt,
  sampleTailAt,
  type Layout,
} from './layout.js';
import { TtasLock, park, readSeqBegin, readSeqRetry, wake, writeSeqBegin, writeSeqEnd, type LockContext } from './locks/locks.js';
import { makeStrategy, type MappingRange, type Strategy, type StrategyKernel } from './strategies/index.js';
import { requestCommit } from './journals/log.js';
import { ATOMICS, type Memory } from './memory.js';

import { S_FINE, S_MTIME, S_CTIME, S_TIMES, S_VERSION } from './timeflags.js';

import type { Attr } from './attr.js';

export type { Attr } from './attr.js';

export type FineClock = () => number;

/**
 * CLOCK_MONOTONIC in milliseconds: one clock for every thread of the process.
 * (performance.now() counts from each worker's own start, and lining those up
 * through performance.timeOrigin leaves sub-millisecond skew between threads,
 * which would misorder stores and polls.)
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Model time in microseconds since the run's epoch, from a clock shared by all threads. */
export function sharedFineClock(f64: Float64Array): FineClock {
  return () => Math.floor((monotonicMs() - f64[CTL_EPOCH_F64]!) * 1000);
}

export class Kernel implements StrategyKernel, JournalHost {
  readonly i32: Int32Array;
  readonly mem: Memory;
  readonly layout: Layout;
  readonly cfg: ModelConfig;
  readonly cpu: number;
  /** This CPU's counters line. */
  readonly ctr: number;
  readonly journal: Journal;
  readonly strategy: Strategy;
  readonly inodeLock: TtasLock;
  readonly lockCtx: LockContext;
  private readonly pageStat: number;
  private readonly fineClock: FineClock;
  /** When the last getattr began reading the attributes (model µs), after its strategy hook ran. */
  lastGetattrUs = 0;
  /** Writer w maps file w (fileOfWriter) unless all share file 0; a flag so the store path does no lookup. */
  private readonly separate: boolean;
  /** The writers mapping each file (the reverse map page_mkclean walks), computed once. */
  private readonly mappers: readonly (readonly number[])[];
  /** The msync range handed to the strategy, reused (msync is off the per-store path, but not rare). */
  private readonly range: MappingRange = { writer: 0, gen: 0, last: 0, count: 0 };

  /** `mem`: how this CPU reaches the shared state (the Atomics builtins on real threads; see memory.ts). */
  constructor(sab: SharedArrayBuffer, cfg: ModelConfig, cpu: number, fineClock?: FineClock, mem: Memory = ATOMICS) {
    this.i32 = new Int32Array(sab);
    this.mem = mem;
    this.layout = cfg.layout;
    this.cfg = cfg;
    this.cpu = cpu;
    this.ctr = cpuAt(cfg.layout, cpu) + CPU_COUNTERS;
    this.fineClock = fineClock ?? sharedFineClock(new Float64Array(sab));
    this.lockCtx = { i32: this.i32, mem, tuning: cfg.tuning, cpu, cpuBase: cfg.layout.cpuBase, cpuSlots: CPU_SLOTS };
    this.inodeLock = new TtasLock(this.lockCtx, lockStatAt(cfg.layout, cpu, LC_INODE));
    this.pageStat = lockStatAt(cfg.layout, cpu, LC_PAGE);
    this.separate = fileOfWriter(cfg, 1) === 1;
    this.mappers = Array.from({ length: cfg.layout.files }, (_, f) => mappersOfFile(cfg, f));
    this.journal = makeJournal(cfg.journal, this);
    this.strategy = makeStrategy(cfg.strategy);
  }

  // ---- clocks ----------------------------------------------------------

  /** current_time(): the coarse clock, advanced by the timer role once per tick. */
  coarseNow(): number {
    return this.mem.load(this.i32, CTL_JIFFIES) * this.cfg.tickUs;
  }

  /** ktime_get(): a fine-grained read, as multigrain timestamps use. */
  fineNow(): number {
    return this.fineClock();
  }

  /**
   * current_time() for a timestamp: the coarse clock, never below the
   * multigrain floor (ktime_get_coarse_real_ts64_mg), truncated to
   * s_time_gran (timestamp_truncate).
   */
  currentTime(): number {
    return this.truncate(Math.max(this.coarseNow(), this.mem.load(this.i32, CTL_MG_FLOOR)));
  }

  /** timestamp_truncate: model times are µs; the granularity is in ns. */
  truncate(us: number): number {
    const gran = this.cfg.timeGranNs;
    if (gran === 1) return us;
    return Math.floor((Math.floor((us * 1000) / gran) * gran) / 1000);
  }

  /** ktime_get_real_ts64_mg: a fine-grained stamp later than `after`, raising the global floor to it. */
  private fineStamp(after: number): number {
    const t = Math.max(this.truncate(this.fineNow()), after + 1);
    for (;;) {
      // The floor only moves forward; a racing CPU that raised it past t leaves it there.
      const floor = this.mem.load(this.i32, CTL_MG_FLOOR);
      if (floor >= t || this.mem.compareExchange(this.i32, CTL_MG_FLOOR, floor, t) === floor) return t;
    }
  }

  // ---- pages and the fault path ---------------------------------------

  /**
   * One user store to `page` through `writer`'s mapping, whose live PTEs hold
   * `gen`. A PTE that is not writable faults first. The re-check after the
   * store models the TLB shoot-down of page_mkclean: if writeback
   * write-protected the page while the store was landing, the store faults
   * (again), so the page is dirtied again and the next writeback copies it.
   */
  store(writer: number, page: number, gen: number): void {
    const i32 = this.i32;
    const pte = pteTableAt(this.layout, writer) + page;
    const file = this.separate ? writer : 0;
    if (this.mem.load(i32, pte) !== gen) this.fault(file, page, pte, gen);
    this.mem.add(i32, pageAt(this.layout, file, page) + P_DATA, 1);
    i32[this.ctr + C_STORES]!++;
    if (this.mem.load(i32, pte) !== gen) {
      i32[this.ctr + C_REFAULTS]!++;
      this.fault(file, page, pte, gen);
    }
  }

  /** A write fault on a shared file mapping: do_shared_fault → page_mkwrite → make the PTE writable. */
  fault(file: number, page: number, pte: number, gen: number): void {
    const i32 = this.i32;
    const u = this.cfg.units;
    i32[this.ctr + C_FAULTS]!++;
    this.mem.spend(u.faultEntryNs);
    // ext4_page_mkwrite updates the file time before it locks the page.
    this.strategy.pageMkwrite(this, file);
    const pg = pageAt(this.layout, file, page);
    this.lockPage(pg);
    this.mem.spend(u.mkwriteNs);
    if ((this.mem.load(i32, pg + P_FLAGS) & PG_DIRTY) === 0) {
      this.mem.or(i32, pg + P_FLAGS, PG_DIRTY);
      this.markInodePagesDirty(file);
    }
    // Installed while the page is locked, so writeback cannot clean the page between dirtying and mapping it.
    this.mem.store(i32, pte, gen);
    this.unlockPage(pg);
  }

  /** __mark_inode_dirty(I_DIRTY_PAGES): stamp dirtied_when when the inode's first page goes dirty. */
  private markInodePagesDirty(ino: number): void {
    const i32 = this.i32;
    const at = inodeAt(this.layout, ino);
    if ((this.mem.load(i32, at + I_FLAGS) & IF_DIRTY_PAGES) === 0) {
      // Stamp before publishing the flag, so the flusher never sees the flag with an old stamp.
      this.mem.store(i32, at + I_DIRTIED_WHEN, this.coarseNow());
      this.mem.or(i32, at + I_FLAGS, IF_DIRTY_PAGES);
    }
  }

  /** mmap: a new mapping of generation `gen`; published so page_mkclean knows this CPU maps the file. */
  mmap(writer: number, gen: number): void {
    this.mem.spend(this.cfg.units.mmapNs);
    this.mem.store(this.i32, cpuAt(this.layout, writer) + CPU_COUNTERS + C_MAP_GEN, gen);
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
    const file = this.separate ? writer : 0;
    const pte = pteTableAt(this.layout, writer);
    for (let p = this.layout.pages - 1; p >= 0; p--) {
      if (this.mem.load(this.i32, pte + p) === gen) {
        this.strategy.dirtyFromPte(this, file);
        break;
      }
    }
    // The PTEs are gone (the next mapping has another generation): no shoot-down needs this CPU for them.
    this.mem.store(this.i32, cpuAt(this.layout, writer) + CPU_COUNTERS + C_MAP_GEN, 0);
    this.strategy.munmap(this, file);
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
    this.i32[this.ctr + C_MSYNCS]!++;
    this.mem.spend(this.cfg.units.msyncNs);
    const file = this.separate ? writer : 0;
    if (sync) {
      this.fsync(file);
      return;
    }
    const r = this.range;
    r.writer = writer;
    r.gen = gen;
    r.last = last;
    r.count = Math.min(count, this.layout.pages);
    this.strategy.msync(this, file, r);
  }

  /**
   * page_mkclean every page of the range whose PTE in that mapping is live
   * (follow_page with FOLL_WRITE finds only writable PTEs), under its page
   * lock. The pages stay dirty; the next store to each faults again.
   */
  mkcleanMapping(m: MappingRange): number {
    const file = this.separate ? m.writer : 0;
    const pte = pteTableAt(this.layout, m.writer);
    const pages = this.layout.pages;
    let n = 0;
    for (let i = 0; i < m.count; i++) {
      const p = (m.last - i + pages) % pages;
      if (this.mem.load(this.i32, pte + p) !== m.gen) continue;
      const pg = pageAt(this.layout, file, p);
      this.lockPage(pg);
      if (this.mkclean(file, p)) n++;
      this.unlockPage(pg);
    }
    return n;
  }

  /**
   * fsync (and MS_SYNC): write back the file's dirty pages (the strategy's
   * writeback hook runs), write lazily kept timestamps into the journal, run
   * the strategy's fsync hook, and ask the journal thread for a commit. It
   * does not wait for the commit (a single-threaded caller commits itself).
   */
  fsync(ino: number): void {
    this.writebackInode(ino);
    this.flushDirtyTime(ino, this.coarseNow(), true);
    this.strategy.fsync(this, ino);
    if (this.cfg.journal !== 'none') requestCommit(this);
  }

  /**
   * Take the TLB shoot-down interrupts other CPUs sent this one: each costs
   * an interrupt's work. Writers call it with their stop check, every few
   * dozen stores: the interrupt's cost is paid within microseconds, and the
   * store path carries no extra load.
   */
  takeInterrupts(): void {
    const at = this.ctr + C_IPI_PENDING;
    if (this.mem.load(this.i32, at) === 0) return;
    const n = this.mem.exchange(this.i32, at, 0);
    this.i32[this.ctr + C_IPIS]! += n;
    this.mem.spend(n * this.cfg.units.ipiNs);
  }

  lockPage(pg: number): void {
    const i32 = this.i32;
    const stat = this.pageStat;
    i32[stat + LS_ACQ]!++;
    let v = this.mem.load(i32, pg + P_FLAGS);
    if ((v & PG_LOCKED) === 0 && this.mem.compareExchange(i32, pg + P_FLAGS, v, v | PG_LOCKED) === v) return;
    i32[stat + LS_CONTENDED]!++;
    const wq = pageWqAt(this.layout, pg);
    for (;;) {
      v = this.mem.load(i32, pg + P_FLAGS);
      if ((v & PG_LOCKED) === 0) {
        if (this.mem.compareExchange(i32, pg + P_FLAGS, v, v | PG_LOCKED) === v) return;
        continue;
      }
      // Page locks are held briefly but can be held by a preempted thread: sleep on the hashed queue.
      i32[stat + LS_PARKS]!++;
      park(this.mem, i32, wq, () => (this.mem.load(i32, pg + P_FLAGS) & PG_LOCKED) !== 0);
    }
  }

  unlockPage(pg: number): void {
    this.mem.and(this.i32, pg + P_FLAGS, ~PG_LOCKED);
    wake(this.mem, this.i32, pageWqAt(this.layout, pg));
  }

  /**
   * Write back every dirty page of `ino` (the flusher's writeback_single_inode),
   * then run the strategy's writeback hook. I_DIRTY_PAGES is cleared first so a
   * page dirtied during the pass sets it again.
   */
  writebackInode(ino: number): number {
    const i32 = this.i32;
    const at = inodeAt(this.layout, ino);
    this.mem.and(i32, at + I_FLAGS, ~IF_DIRTY_PAGES);
    const first = pageAt(this.layout, ino, 0);
    const pageWrite = this.cfg.units.pageWriteNs;
    let written = 0;
    for (let p = 0; p < this.layout.pages; p++) {
      const pg = first + p * PAGE_SLOTS;
      if ((this.mem.load(i32, pg + P_FLAGS) & PG_DIRTY) === 0) continue;
      this.lockPage(pg);
      if ((this.mem.load(i32, pg + P_FLAGS) & PG_DIRTY) !== 0) {
        // clear_page_dirty_for_io: clean the page, then write-protect every PTE
        // mapping it (page_mkclean), and only then copy the data, so a store
        // racing with the copy sees its PTE gone and faults (see store()).
        this.mem.and(i32, pg + P_FLAGS, ~PG_DIRTY);
        this.mkclean(ino, p);
        this.mem.store(i32, pg + P_WBDATA, this.mem.load(i32, pg + P_DATA));
        this.mem.spend(pageWrite);
        written++;
      }
      this.unlockPage(pg);
    }
    i32[this.ctr + C_PAGES_WRITTEN]! += written;
    this.strategy.writeback(this, ino);
    return written;
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
  private mkclean(file: number, p: number): boolean {
    const i32 = this.i32;
    const u = this.cfg.units;
    this.mem.spend(u.rmapWalkNs);
    let live = 0;
    let remote = 0;
    for (const w of this.mappers[file]!) {
      const at = pteTableAt(this.layout, w) + p;
      const v = this.mem.load(i32, at);
      if (v === 0) continue;
      this.mem.store(i32, at, 0);
      const ctr = cpuAt(this.layout, w) + CPU_COUNTERS;
      if (v !== this.mem.load(i32, ctr + C_MAP_GEN)) continue;
      live++;
      if (w !== this.cpu) {
        remote++;
        this.mem.add(i32, ctr + C_IPI_PENDING, 1);
      }
    }
    if (live === 0) return false;
    i32[this.ctr + C_WRPROTECTS]! += live;
    this.mem.spend(live * u.pteProtectNs + (remote > 0 ? u.tlbShootdownNs : 0));
    this.strategy.dirtyFromPte(this, file);
    return true;
  }

  /**
   * Write-protect the dirty pages of `ino` without writing them back, so the
   * next store to each faults and runs page_mkwrite. Returns pages protected.
   */
  writeProtectDirty(ino: number): number {
    const i32 = this.i32;
    if (!this.testFlag(ino, IF_DIRTY_PAGES)) return 0;
    const first = pageAt(this.layout, ino, 0);
    let n = 0;
    for (let p = 0; p < this.layout.pages; p++) {
      const pg = first + p * PAGE_SLOTS;
      if ((this.mem.load(i32, pg + P_FLAGS) & PG_DIRTY) === 0) continue;
      this.lockPage(pg);
      this.mkclean(ino, p);
      this.unlockPage(pg);
      n++;
    }
    return n;
  }

  /** True when this inode's dirty pages have been dirty longer than the expiry interval. */
  pagesExpired(ino: number, now: number): boolean {
    const at = inodeAt(this.layout, ino);
    return (
      (this.mem.load(this.i32, at + I_FLAGS) & IF_DIRTY_PAGES) !== 0 &&
      now - this.mem.load(this.i32, at + I_DIRTIED_WHEN) >= this.cfg.dirtyExpireUs
    );
  }

  // ---- inode timestamps and i_version ----------------------------------

  /** inode_needs_update_time: has current_time() (truncated, at least the floor) moved past the file's mtime? */
  timeMoved(ino: number): boolean {
    return this.currentTime() > this.mem.load(this.i32, inodeAt(this.layout, ino) + I_MTIME);
  }

  /** Multigrain: a coarse stamp now would not be later than the file's ctime, so it would not show a change. */
  coarseHidesChange(ino: number): boolean {
    return this.currentTime() <= this.mem.load(this.i32, inodeAt(this.layout, ino) + I_CTIME);
  }

  /** Was i_version read (by getattr) since its last increment? */
  iversionQueried(ino: number): boolean {
    return (this.mem.load(this.i32, inodeAt(this.layout, ino) + I_IVERSION) & IVERSION_QUERIED) !== 0;
  }

  /** Multigrain: was ctime read since it last changed? */
  ctimeQueried(ino: number): boolean {
    return (this.mem.load(this.i32, inodeAt(this.layout, ino) + I_FLAGS) & IF_CTIME_QUERIED) !== 0;
  }

  testFlag(ino: number, flag: number): boolean {
    return (this.mem.load(this.i32, inodeAt(this.layout, ino) + I_FLAGS) & flag) !== 0;
  }

  /** Set an inode flag; reads first so an already-set flag costs no atomic write to the shared line. */
  setFlag(ino: number, flag: number): void {
    const at = inodeAt(this.layout, ino) + I_FLAGS;
    if ((this.mem.load(this.i32, at) & flag) === 0) this.mem.or(this.i32, at, flag);
  }

  /** Clear an inode flag and say whether it was set (test_and_clear_bit). */
  testClearFlag(ino: number, flag: number): boolean {
    const at = inodeAt(this.layout, ino) + I_FLAGS;
    if ((this.mem.load(this.i32, at) & flag) === 0) return false;
    return (this.mem.and(this.i32, at, ~flag) & flag) !== 0;
  }

  /**
   * A journalled inode update (generic_update_time → mark_inode_dirty_sync):
   * one transaction through the configured journal. `flags` 0 logs the inode
   * as it is (lazytime's deferred write).
   */
  updateInode(ino: number, flags: number): void {
    this.journal.update(ino, flags);
  }

  /** Timestamps changed in memory only: lazytime's I_DIRTY_TIME. */
  updateTimesLazy(ino: number): void {
    this.setTimes(ino, S_TIMES);
    const at = inodeAt(this.layout, ino);
    if ((this.mem.load(this.i32, at + I_FLAGS) & IF_DIRTY_TIME) === 0) {
      this.mem.store(this.i32, at + I_DIRTYTIME_WHEN, this.coarseNow());
      this.mem.or(this.i32, at + I_FLAGS, IF_DIRTY_TIME);
    }
  }

  /** Change the in-memory inode under its lock. */
  setTimes(ino: number, flags: number): void {
    const at = inodeAt(this.layout, ino);
    this.inodeLock.acquire(at + I_LOCK);
    this.setTimesLocked(ino, flags);
    this.inodeLock.release(at + I_LOCK);
  }

  /** Caller holds the inode lock, which serialises seqcount writers. */
  setTimesLocked(ino: number, flags: number): void {
    if (flags === 0) return;
    const i32 = this.i32;
    const at = inodeAt(this.layout, ino);
    writeSeqBegin(this.mem, i32, at + I_SEQ);
    if (flags & S_TIMES) {
      const old = this.mem.load(i32, at + I_CTIME);
      // A fine-grained stamp must still move forward even inside one microsecond; a coarse one never goes back.
      const t = flags & S_FINE ? this.fineStamp(old) : Math.max(this.currentTime(), old);
      if (flags & S_MTIME) this.mem.store(i32, at + I_MTIME, t);
      if (flags & S_CTIME) this.mem.store(i32, at + I_CTIME, t);
      // The new ctime has not been seen by anyone yet.
      if (this.mem.load(i32, at + I_FLAGS) & IF_CTIME_QUERIED) this.mem.and(i32, at + I_FLAGS, ~IF_CTIME_QUERIED);
      i32[this.ctr + C_TIME_UPDATES]!++;
    }
    if (flags & S_VERSION) {
      // getattr sets the queried bit with an atomic OR outside this lock, so the increment must be a CAS.
      for (;;) {
        const v = this.mem.load(i32, at + I_IVERSION);
        const next = (v & ~IVERSION_QUERIED) + IVERSION_INCREMENT;
        if (this.mem.compareExchange(i32, at + I_IVERSION, v, next) === v) break;
      }
      i32[this.ctr + C_IVERSION_BUMPS]!++;
    }
    writeSeqEnd(this.mem, i32, at + I_SEQ);
  }

  /**
   * getattr as an NFS server runs it for a client: a consistent snapshot of
   * i_version and the timestamps through the seqcount, marking both as
   * queried so the strategies that only pay when someone looks know it.
   */
  getattr(ino: number, out: Attr): Attr {
    const i32 = this.i32;
    const at = inodeAt(this.layout, ino);
    this.mem.spend(this.cfg.units.getattrNs);
    this.strategy.getattr(this, ino);
    // A store made before this instant happened before the attributes below were read.
    this.lastGetattrUs = this.fineNow();
    for (;;) {
      const s = readSeqBegin(this.mem, i32, at + I_SEQ);
      // Marking inside the read section makes mark-and-read atomic against writers (as inode_query_iversion's
      // cmpxchg is): a change in between moves the seqcount, and the retry marks and reads again.
      this.markQueried(ino);
      out.iversion = this.mem.load(i32, at + I_IVERSION) >>> 1;
      out.mtime = this.mem.load(i32, at + I_MTIME);
      out.ctime = this.mem.load(i32, at + I_CTIME);
      if (!readSeqRetry(this.mem, i32, at + I_SEQ, s)) break;
      i32[this.ctr + C_SEQ_RETRIES]!++;
    }
    i32[this.ctr + C_POLLS]!++;
    return out;
  }

  /** inode_query_iversion and multigrain's ctime query: the next change must be visible. */
  markQueried(ino: number): void {
    const at = inodeAt(this.layout, ino) + I_IVERSION;
    if ((this.mem.load(this.i32, at) & IVERSION_QUERIED) === 0) this.mem.or(this.i32, at, IVERSION_QUERIED);
    this.setFlag(ino, IF_CTIME_QUERIED);
  }

  /** Lazytime inodes whose timestamps have waited in memory past the expiry go to the journal. */
  flushDirtyTime(ino: number, now: number, force: boolean): boolean {
    const at = inodeAt(this.layout, ino);
    if ((this.mem.load(this.i32, at + I_FLAGS) & IF_DIRTY_TIME) === 0) return false;
    if (!force && now - this.mem.load(this.i32, at + I_DIRTYTIME_WHEN) < this.cfg.lazytimeExpireUs) return false;
    this.mem.and(this.i32, at + I_FLAGS, ~IF_DIRTY_TIME);
    this.updateInode(ino, 0);
    return true;
  }

  /**
   * Record the time of the store just made into this writer's sample ring,
   * for the observer's staleness figures. The time is written before the
   * head is published, so the observer never reads a slot not yet filled;
   * when the observer has fallen a whole ring behind, the sample is dropped.
   */
  sampleStore(writer: number): void {
    const i32 = this.i32;
    const head = i32[this.ctr + C_SAMPLE_HEAD]!;
    if (head - this.mem.load(i32, sampleTailAt(this.layout, writer)) >= SAMPLE_RING) {
      i32[this.ctr + C_SAMPLES_DROPPED]!++;
      return;
    }
    i32[sampleRingAt(this.layout, writer) + (head % SAMPLE_RING)] = this.fineNow();
    this.mem.store(i32, this.ctr + C_SAMPLE_HEAD, head + 1);
  }
}
