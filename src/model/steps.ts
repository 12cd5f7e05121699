/**
 * The roles' bodies as single steps, shared by every way of running them:
 * the real-thread loops (roles.ts) call a step until the coordinator says
 * stop, and a virtual-time scheduler calls one step per turn of a virtual
 * CPU. One step is one writer store (with its fault, if any) or one round of
 * a service (a tick, a flusher pass, a poll of every file); a commit is the
 * journal's own `commit()`. Keeping the steps here is what keeps one copy of
 * the role logic: how a step is paced (sleeping on real threads, a clock in
 * virtual time) is the caller's business.
 */
import { mappersOfFile } from './config.js';
import type { Attr, Kernel } from './kernel.js';
import {
  CTL_JIFFIES,
  CTL_PHASE,
  C_PASSES,
  C_SAMPLE_HEAD,
  C_SAMPLES_DROPPED,
  CPU_COUNTERS,
  PHASE_STOP,
  SAMPLE_EVERY,
  SAMPLE_RING,
  cpuAt,
  sampleRingAt,
  sampleTailAt,
} from './layout.js';
import { sameAttrFor } from './client.js';
import { StalenessTracker } from './staleness.js';
import { keepsIversion } from './strategies/index.js';
import { remapsEveryPass } from './workloads.js';

/** What the observer hands back: [storeUs, lagUs] pairs of noticed sampled stores, and unnoticed store times. */
export interface StalenessReport {
  readonly noticed: number[];
  readonly unnoticed: number[];
}

/** Whether the coordinator has ended the run: its control word, read directly rather than charged as modelled memory. */
// eslint-disable-next-line no-restricted-properties
export const stopped = (i32: Int32Array): boolean => Atomics.load(i32, CTL_PHASE) === PHASE_STOP;

/**
 * Record the time of the store just made into the writer's sample ring, for
 * the observer's staleness figures. The time is written before the head is
 * published, so the observer never reads a slot not yet filled; when the
 * observer has fallen a whole ring behind, the sample is dropped (and
 * counted: samples_dropped).
 */
export function sampleStore(k: Kernel): void {
  const i32 = k.i32;
  const head = i32[k.ctr + C_SAMPLE_HEAD]!;
  if (head - k.mem.load(i32, sampleTailAt(k.layout, k.cpu)) >= SAMPLE_RING) {
    i32[k.ctr + C_SAMPLES_DROPPED]!++;
    return;
  }
  i32[sampleRingAt(k.layout, k.cpu) + (head % SAMPLE_RING)] = k.fineNow();
  k.mem.store(i32, k.ctr + C_SAMPLE_HEAD, head + 1);
}

/** Stores between two looks at pending shoot-down interrupts: often enough to pay them within microseconds. */
const INTERRUPT_CHECK_MASK = 63;

/**
 * page_fault3 through one writer's mapping, one store per step: map the file
 * at the start of a pass (rewrite: only once), store once into every page,
 * sample every SAMPLE_EVERY-th store for the staleness figures, msync
 * (MS_ASYNC) every msyncEvery stores, take pending TLB shoot-down interrupts
 * every 64 stores, and at the end of a pass count it and unmap (rewrite
 * keeps its mapping until exit()). A PTE is live when it holds the current
 * mapping's generation, so moving on to the next generation zaps every PTE;
 * munmap tells the strategy whether a live one held a dirty bit.
 */
export class WriterCursor {
  private readonly k: Kernel;
  private readonly pages: number;
  private readonly remap: boolean;
  private readonly sampling: boolean;
  private readonly msyncEvery: number;
  private untilSample = SAMPLE_EVERY;
  private untilMsync: number;
  private mapped = false;
  /** The mapping's generation; 0 before the first mmap. */
  gen = 0;
  /** The page the next step stores into. */
  page = 0;

  constructor(k: Kernel) {
    this.k = k;
    this.pages = k.layout.pages;
    this.remap = remapsEveryPass(k.cfg.workload);
    this.sampling = k.cfg.observerIntervalUs > 0;
    this.msyncEvery = k.cfg.msyncEvery;
    this.untilMsync = this.msyncEvery;
  }

  /** One store; true when it was the last of a pass. */
  step(): boolean {
    const k = this.k;
    if (!this.mapped) {
      this.gen++;
      k.mmap(k.cpu, this.gen);
      this.mapped = true;
    }
    const p = this.page;
    k.store(k.cpu, p, this.gen);
    if (this.sampling && --this.untilSample === 0) {
      this.untilSample = SAMPLE_EVERY;
      sampleStore(k);
    }
    if (this.msyncEvery > 0 && --this.untilMsync === 0) {
      this.untilMsync = this.msyncEvery;
      k.msync(k.cpu, this.gen, p, this.msyncEvery, false);
    }
    if ((p & INTERRUPT_CHECK_MASK) === INTERRUPT_CHECK_MASK) k.takeInterrupts();
    if (++this.page < this.pages) return false;
    this.page = 0;
    k.i32[k.ctr + C_PASSES]!++;
    if (this.remap) this.exit();
    return true;
  }

  /** munmap, or the exit that tears the mapping down: the strategy's munmap hook runs. */
  exit(): void {
    if (!this.mapped) return;
    this.k.munmap(this.k.cpu, this.gen);
    this.mapped = false;
  }
}

/** The timer interrupt: advance jiffies from the fine clock. */
export function timerTick(k: Kernel): void {
  k.mem.store(k.i32, CTL_JIFFIES, Math.floor(k.fineNow() / k.cfg.tickUs));
}

/** One flusher pass: write back inodes dirty for longer than the expiry, flush expired lazy timestamps. */
export function flusherRound(k: Kernel): void {
  const i32 = k.i32;
  const now = k.coarseNow();
  for (let ino = 0; ino < k.layout.files && !stopped(i32); ino++) flusherInode(k, ino, now);
}

/**
 * The flusher's pass over one inode, `now` being the pass's coarse time. The
 * virtual target steps a pass one inode at a time: writing back a file's
 * pages takes virtual time, and other CPUs run in between, as they do
 * beside a real flusher.
 */
export function flusherInode(k: Kernel, ino: number, now: number): void {
  if (k.pagesExpired(ino, now)) k.writebackInode(ino);
  k.flushDirtyTime(ino, now, false);
}

/**
 * The end-of-run sync's writeback (sync(2) before its commit): every dirty
 * page of every file, whatever its age, and every lazily kept timestamp.
 */
export function syncRound(k: Kernel): void {
  const now = k.coarseNow();
  for (let ino = 0; ino < k.layout.files; ino++) {
    k.writebackInode(ino);
    k.flushDirtyTime(ino, now, true);
  }
}

/**
 * An NFS client revalidating its cache: one round is a getattr on every
 * file, charging each sampled store the time until a poll saw the
 * attributes change, as the configured client compares them
 * (StalenessTracker, client.ts).
 */
export class Observer {
  private readonly k: Kernel;
  private readonly attr: Attr = { iversion: 0, mtime: 0, ctime: 0 };
  private readonly tracker: StalenessTracker;
  private readonly mappers: number[][];
  private readonly tails: number[];

  constructor(k: Kernel) {
    this.k = k;
    const files = k.layout.files;
    this.tracker = new StalenessTracker(files, sameAttrFor(k.cfg.client, keepsIversion(k.cfg.strategy)));
    this.mappers = Array.from({ length: files }, (_, f) => mappersOfFile(k.cfg, f));
    this.tails = new Array<number>(k.cfg.writers).fill(0);
  }

  round(): void {
    for (let ino = 0; ino < this.k.layout.files; ino++) this.poll(ino);
  }

  /**
   * One file of a round. The virtual target steps a round one file at a time:
   * a getattr takes virtual time (for wrprotect-on-query, a walk of the
   * file's dirty pages with their shoot-downs), and other CPUs run between.
   */
  poll(ino: number): void {
    const k = this.k;
    const i32 = k.i32;
    const l = k.layout;
    k.getattr(ino, this.attr);
    // Drain the rings after the getattr: a store stamped before the read began happened before this poll read
    // the attributes, whenever its sample was published; later ones wait for the next poll (StalenessTracker.poll).
    for (const w of this.mappers[ino]!) {
      // The head is published after the sample's slot is filled (sampleStore).
      const head = k.mem.load(i32, cpuAt(l, w) + CPU_COUNTERS + C_SAMPLE_HEAD);
      const ring = sampleRingAt(l, w);
      for (let s = this.tails[w]!; s < head; s++) this.tracker.stored(ino, i32[ring + (s % SAMPLE_RING)]!);
      this.tails[w] = head;
      // Hand the slots back to the writer.
      k.mem.store(i32, sampleTailAt(l, w), head);
    }
    this.tracker.poll(ino, k.lastGetattrUs, this.attr);
  }

  report(): StalenessReport {
    const t = this.tracker;
    return { noticed: t.noticed.flatMap((n) => [n.storeUs, n.lagUs]), unnoticed: t.unnoticed() };
  }
}
