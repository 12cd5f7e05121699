/**
 * The model kernel as one thread sees it: the fault path, page writeback,
 * and the inode's flags, timestamps and getattr (whose seqcount-guarded
 * bodies are in inode-times.ts), over the shared state laid out in
 * layout.ts. Every thread (writers, services, the coordinator's final sync)
 * builds its own Kernel over the same SharedArrayBuffer.
 */
import { fileOfWriter, type ModelConfig } from './config.js';
import { mkwriteCost } from './fault-paths.js';
import { JOURNALS, makeJournal, type Journal, type JournalHost } from './journals/index.js';
import {
  CPU_COUNTERS,
  CPU_SLOTS,
  CTL_JIFFIES,
  CTL_MG_FLOOR,
  C_FAULTS,
  C_PAGES_WRITTEN,
  C_REFAULTS,
  C_STORES,
  IF_CTIME_QUERIED,
  IF_DIRTY_PAGES,
  IF_DIRTY_TIME,
  IVERSION_QUERIED,
  I_CTIME,
  I_DIRTIED_WHEN,
  I_DIRTYTIME_WHEN,
  I_FLAGS,
  I_IVERSION,
  I_LOCK,
  I_MTIME,
  LC_INODE,
  LC_PAGE,
  P_DATA,
  P_FLAGS,
  P_WBDATA,
  PAGE_SLOTS,
  PG_DIRTY,
  TAG_PAGES_PER_WORD,
  cpuAt,
  dirtyTagAt,
  inodeAt,
  lockStatAt,
  pageAt,
  pteTableAt,
  type Layout,
} from './layout.js';
import { TtasLock, type LockContext } from './locks/locks.js';
import { PageLock } from './locks/page-lock.js';
import { makeStrategy, type MappingRange, type Strategy, type StrategyKernel } from './strategies/index.js';
import { requestCommit } from './journals/log.js';
import { ATOMICS, type Memory } from './memory.js';
import { sharedFineClock, truncateToGran, type FineClock } from './clock.js';
import { Mappings } from './mappings.js';
import { S_TIMES } from './timeflags.js';
import type { Attr } from './attr.js';
import { readAttrs, setInodeTimes } from './inode-times.js';

export type { Attr } from './attr.js';
export { monotonicMs, sharedFineClock, type FineClock } from './clock.js';

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
  private readonly pageLock: PageLock;
  private readonly fineClock: FineClock;
  /** When the last getattr began reading the attributes (model µs), after its strategy hook ran. */
  lastGetattrUs = 0;
  /** Writer w maps file w (fileOfWriter) unless all share file 0; a flag so the store path does no lookup. */
  private readonly separate: boolean;
  /** mmap, munmap, msync and page_mkclean with its shoot-downs (mappings.ts). */
  private readonly maps: Mappings;
  /** Work units of the page_mkwrite step on this configuration's fault path: the generic work plus the path's extra. */
  private readonly mkwriteUnits: number;

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
    this.pageLock = new PageLock(this.lockCtx, cfg.layout, lockStatAt(cfg.layout, cpu, LC_PAGE));
    this.separate = fileOfWriter(cfg, 1) === 1;
    this.maps = new Mappings(this, this.separate);
    this.journal = makeJournal(cfg.journal, this);
    this.strategy = makeStrategy(cfg.strategy);
    this.mkwriteUnits = mkwriteCost(cfg.units, cfg.faultPath);
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

  truncate(us: number): number {
    return truncateToGran(us, this.cfg.timeGranNs);
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
    this.mem.spend(this.mkwriteUnits);
    if ((this.mem.load(i32, pg + P_FLAGS) & PG_DIRTY) === 0) this.markPageDirty(file, page, pg);
    // Installed while the page is locked, so writeback cannot clean the page between dirtying and mapping it.
    this.mem.store(i32, pte, gen);
    this.unlockPage(pg);
  }

  /**
   * __folio_mark_dirty: the flag, then the page cache's dirty tag, both under the page lock, so the two
   * always agree outside it and writeback may walk the tag alone. A method of its own because it runs only
   * when a clean page is first dirtied: kept out of fault(), the fault path stays small enough for the
   * compiler to inline it into the caller's store loop.
   */
  private markPageDirty(file: number, page: number, pg: number): void {
    const i32 = this.i32;
    this.mem.or(i32, pg + P_FLAGS, PG_DIRTY);
    this.mem.or(i32, dirtyTagAt(this.layout, file, page), 1 << (page % TAG_PAGES_PER_WORD));
    this.markInodePagesDirty(file);
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

  // ---- mappings (mappings.ts) -------------------------------------------

  mmap(writer: number, gen: number): void {
    this.maps.mmap(writer, gen);
  }

  munmap(writer: number, gen: number): void {
    this.maps.munmap(writer, gen);
  }

  /** msync(MS_ASYNC or, with `sync`, MS_SYNC) over the `count` pages ending at `last` of `writer`'s mapping. */
  msync(writer: number, gen: number, last: number, count: number, sync: boolean): void {
    this.maps.msync(writer, gen, last, count, sync);
  }

  mkcleanMapping(m: MappingRange): number {
    return this.maps.mkcleanMapping(m);
  }

  /** Write-protect the dirty pages of `ino` without writing them back; returns pages protected. */
  writeProtectDirty(ino: number): number {
    return this.maps.writeProtectDirty(ino, IF_DIRTY_PAGES);
  }

  takeInterrupts(): void {
    this.maps.takeInterrupts();
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
    if (JOURNALS[this.cfg.journal].committer) requestCommit(this);
  }

  /** lock_page (locks/page-lock.ts). */
  lockPage(pg: number): void {
    this.pageLock.acquire(pg);
  }

  unlockPage(pg: number): void {
    this.pageLock.release(pg);
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
    const pageWrite = this.cfg.units.pageWriteNs;
    let written = 0;
    this.forEachTaggedDirty(ino, (p, pg) => {
      this.lockPage(pg);
      if ((this.mem.load(i32, pg + P_FLAGS) & PG_DIRTY) !== 0) {
        // clear_page_dirty_for_io: clean the page (flag and tag, under the page lock), then write-protect every
        // PTE mapping it (page_mkclean), and only then copy the data, so a store racing with the copy sees its
        // PTE gone and faults (see store()).
        this.mem.and(i32, pg + P_FLAGS, ~PG_DIRTY);
        this.mem.and(i32, dirtyTagAt(this.layout, ino, p), ~(1 << (p % TAG_PAGES_PER_WORD)));
        this.maps.mkclean(ino, p);
        this.mem.store(i32, pg + P_WBDATA, this.mem.load(i32, pg + P_DATA));
        this.mem.spend(pageWrite);
        written++;
      }
      this.unlockPage(pg);
    });
    i32[this.ctr + C_PAGES_WRITTEN]! += written;
    this.strategy.writeback(this, ino);
    return written;
  }

  /**
   * Visit each page of `ino` whose dirty tag was set when its tag word was read
   * (a tagged page-cache walk): `visit` takes the page lock and checks
   * PG_DIRTY itself, since the page may be cleaned before it gets there. A
   * page dirtied after its word was read waits for the next pass, as one
   * dirtied behind the kernel's walk does.
   */
  forEachTaggedDirty(ino: number, visit: (page: number, pageSlot: number) => void): void {
    const i32 = this.i32;
    const l = this.layout;
    const first = pageAt(l, ino, 0);
    const tags = dirtyTagAt(l, ino, 0);
    const words = Math.ceil(l.pages / TAG_PAGES_PER_WORD);
    for (let w = 0; w < words; w++) {
      let word = this.mem.load(i32, tags + w);
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const p = w * TAG_PAGES_PER_WORD + 31 - Math.clz32(low);
        visit(p, first + p * PAGE_SLOTS);
      }
    }
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

  /** Caller holds the inode lock, which serialises seqcount writers (inode-times.ts). */
  setTimesLocked(ino: number, flags: number): void {
    setInodeTimes(this, ino, flags);
  }

  /** getattr as an NFS server runs it for a client (inode-times.ts). */
  getattr(ino: number, out: Attr): Attr {
    return readAttrs(this, ino, out);
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
}
