/**
 * The world a deterministic scenario runs in: one file of a few pages, one
 * application mapping it, one NFS client, on a single-threaded model whose
 * clock is kernel time (time scale 1). The client caches the attributes and
 * the contents it read, revalidates by getattr, compares as an NFSv4 client
 * (client.ts), and refetches only when it sees a change. The server can
 * crash and recover (crash.ts). Nothing here names a strategy: verdicts are
 * what the model did.
 */
import { sameAttrFor } from './client.js';
import { crashAndRecover } from './crash.js';
import {
  I_CTIME,
  I_DISK_CTIME,
  I_DISK_IVERSION,
  I_DISK_MTIME,
  I_IVERSION,
  I_MTIME,
  P_WBDATA,
  inodeAt,
  pageAt,
} from './layout.js';
import type { Attr } from './kernel.js';
import { Sim } from './sim.js';
import { StalenessTracker } from './staleness.js';
import { keepsIversion, type StrategyName } from './strategies/index.js';

export const SEC = 1_000_000;
/** NFS clients revalidate at least every few seconds; the flusher wakes every 5 s. */
export const POLL_EVERY_US = 1 * SEC;
export const FLUSH_EVERY_US = 5 * SEC;
/** Scenarios start one second after the file was created, so the coarse clock has moved past its times. */
export const START_US = 1 * SEC;
/** How long a scenario follows a store before calling it never noticed. */
export const HORIZON_US = 120 * SEC;

export interface Verdict {
  readonly strategy: StrategyName;
  /** The client's comparison, where a scenario runs more than one (e.g. 'ctime mixed in'). */
  readonly variant?: string;
  /** Whether the ctime was mixed into the change attribute (the scenarios that compare both ways). */
  readonly ctimeMixed?: boolean;
  /** Did the tracked store fault (run page_mkwrite)? */
  readonly faulted: boolean;
  readonly noticed: boolean;
  /** From the tracked store to the poll that noticed it, kernel seconds; null if never. */
  readonly afterSec: number | null;
  /** At the end, does the client hold other contents than the file while its attributes say nothing changed? */
  readonly stale: boolean;
  /** Journal transactions during the scenario. */
  readonly txns: number;
}

/**
 * The steps a scenario is written in. World runs them on the model; the
 * kernel target runs the scenarios written only in these on a real file.
 */
export interface Steps {
  /** The application stores into page 0; `track` makes this the store the verdict is about. */
  store(track?: boolean): void;
  /** Kernel time passes (the flusher runs on its way). */
  advance(us: number): void;
  /** The client revalidates; true when it saw a change. */
  revalidate(quiet?: boolean): boolean;
  /** The client keeps polling until it notices the tracked store, or never will. */
  follow(): void;
}

/** Steps only the model can take: durability and a server crash. */
export interface ServerSteps extends Steps {
  /** fsync on the file, and the journal commit it waits for. */
  sync(): void;
  /** The server goes down and comes up: memory lost, the journal replayed; the application's mapping is gone. */
  crash(): void;
  /** The application maps the file again. */
  map(): void;
}

export interface WorldOptions {
  /** Mix the ctime into the NFSv4 change attribute, as nfsd does (default true). */
  readonly mixCtime?: boolean;
}

export class World implements ServerSteps {
  readonly sim: Sim;
  private readonly tracker: StalenessTracker;
  private readonly log: (line: string) => void;
  /** The mapping's generation (a new one after a crash). */
  private gen = 1;
  /** Contents of page 0 by the store that wrote them: what the file holds, its written-back copy, the client's copy. */
  private contents = 0;
  private diskContents = 0;
  private clientContents = 0;
  private stores = 0;
  private nextFlushUs = FLUSH_EVERY_US;
  private tracked: number | null = null;
  /** Lag of the tracked store once noticed. */
  noticedAfterUs: number | null = null;
  trackedFaulted = false;

  constructor(strategy: StrategyName, log: (line: string) => void, opts: WorldOptions = {}) {
    this.sim = new Sim(strategy, { pages: 4, timeScale: 1 });
    this.sim.setTime(START_US);
    this.sim.k.mmap(0, this.gen);
    this.tracker = new StalenessTracker(1, sameAttrFor('nfsv4', keepsIversion(strategy), opts.mixCtime ?? true));
    this.log = log;
  }

  private stamp(): string {
    return `t=${(this.sim.nowUs / SEC).toFixed(3).padStart(8)}s`;
  }

  private attrText(a: Attr): string {
    return `i_version ${a.iversion}, mtime ${(a.mtime / SEC).toFixed(3)}s, ctime ${(a.ctime / SEC).toFixed(6)}s`;
  }

  private peek(): Attr {
    const at = inodeAt(this.sim.cfg.layout, 0);
    const i32 = this.sim.i32;
    return {
      iversion: Atomics.load(i32, at + I_IVERSION) >>> 1,
      mtime: Atomics.load(i32, at + I_MTIME),
      ctime: Atomics.load(i32, at + I_CTIME),
    };
  }

  /** Page 0's written-back copy changes exactly when page 0 is written back: its contents reach the disk. */
  private written<T>(op: () => T): T {
    const wb = pageAt(this.sim.cfg.layout, 0, 0) + P_WBDATA;
    const before = Atomics.load(this.sim.i32, wb);
    const r = op();
    if (Atomics.load(this.sim.i32, wb) !== before) this.diskContents = this.contents;
    return r;
  }

  /** Move time forward, running the flusher at each of its wake-ups on the way. */
  advance(us: number): void {
    const target = this.sim.nowUs + us;
    while (this.nextFlushUs <= target) {
      this.sim.setTime(this.nextFlushUs);
      this.flusherPass();
      this.nextFlushUs += FLUSH_EVERY_US;
    }
    this.sim.setTime(target);
  }

  /** The flusher's wake-up: write back the file if its pages have been dirty past the expiry. */
  flusherPass(): void {
    const k = this.sim.k;
    if (!k.pagesExpired(0, k.coarseNow())) return;
    const before = this.peek();
    const txns = this.sim.count('txns');
    const written = this.written(() => k.writebackInode(0));
    const after = this.peek();
    const changed = before.iversion !== after.iversion || before.ctime !== after.ctime;
    this.log(
      `${this.stamp()}  flusher: writes back ${written} page(s), write-protects them` +
        (changed ? `; writeback hook updates the inode (${this.attrText(after)})` : '') +
        (this.sim.count('txns') > txns ? ', journal transaction' : ''),
    );
  }

  /** The application stores into page 0; `track` makes this the store the verdict is about. */
  store(track = false): void {
    const faults = this.sim.count('faults');
    const txns = this.sim.count('txns');
    const before = this.peek();
    this.sim.k.store(0, 0, this.gen);
    this.contents = ++this.stores;
    const faulted = this.sim.count('faults') > faults;
    const after = this.peek();
    const changed = before.iversion !== after.iversion || before.ctime !== after.ctime;
    if (track) {
      this.tracked = this.sim.nowUs;
      this.trackedFaulted = faulted;
      this.tracker.stored(0, this.sim.nowUs);
    }
    this.log(
      `${this.stamp()}  store #${this.contents} to page 0${track ? ' (the store in question)' : ''}: ` +
        (faulted ? 'write fault → page_mkwrite' : 'PTE writable, no fault') +
        (changed ? `; inode now ${this.attrText(after)}` : '; attributes unchanged') +
        (this.sim.count('txns') > txns ? ', journal transaction' : ''),
    );
  }

  /** The client revalidates: getattr, compare with its cache, refetch if changed. */
  revalidate(quiet = false): boolean {
    const attr = this.sim.k.getattr(0, { iversion: 0, mtime: 0, ctime: 0 });
    const changed = this.tracker.poll(0, this.sim.nowUs, attr);
    if (changed) this.clientContents = this.contents;
    if (changed && this.tracked !== null && this.noticedAfterUs === null && this.tracker.unnoticed().length === 0) {
      this.noticedAfterUs = this.sim.nowUs - this.tracked;
    }
    const stale = this.clientContents !== this.contents;
    if (!quiet || changed) {
      this.log(
        `${this.stamp()}  client getattr: ${this.attrText(attr)} → ` +
          (changed
            ? `changed: revalidates and refetches the data (store #${this.contents})`
            : `unchanged: keeps its cache${stale ? ` (stale: it holds store #${this.clientContents}, the file store #${this.contents})` : ''}`),
      );
    }
    return changed;
  }

  /** Keep polling every POLL_EVERY_US (printing only changes) until the tracked store is noticed or the horizon. */
  follow(): void {
    if (this.noticedAfterUs !== null) return;
    this.log(
      `${this.stamp()}  client polls every ${POLL_EVERY_US / SEC} s (flusher every ${FLUSH_EVERY_US / SEC} s) ...`,
    );
    const end = (this.tracked ?? this.sim.nowUs) + HORIZON_US;
    while (this.noticedAfterUs === null && this.sim.nowUs + POLL_EVERY_US <= end) {
      this.advance(POLL_EVERY_US);
      this.revalidate(true);
    }
    if (this.noticedAfterUs === null) this.log(`${this.stamp()}  still unchanged: the client never sees the store`);
  }

  sync(): void {
    const k = this.sim.k;
    this.written(() => k.fsync(0));
    k.journal.commit();
    this.log(`${this.stamp()}  fsync: pages written back, journal committed (on disk: ${this.attrText(this.disk())})`);
  }

  /** The inode's committed copy. */
  private disk(): Attr {
    const at = inodeAt(this.sim.cfg.layout, 0);
    const i32 = this.sim.i32;
    return {
      iversion: Atomics.load(i32, at + I_DISK_IVERSION),
      mtime: Atomics.load(i32, at + I_DISK_MTIME),
      ctime: Atomics.load(i32, at + I_DISK_CTIME),
    };
  }

  crash(): void {
    crashAndRecover(this.sim.sab, this.sim.cfg);
    this.contents = this.diskContents;
    this.log(
      `${this.stamp()}  server crashes and recovers: memory lost, journal replayed; ` +
        `inode ${this.attrText(this.peek())}, page 0 holds store #${this.contents}`,
    );
  }

  map(): void {
    this.gen++;
    this.sim.k.mmap(0, this.gen);
    this.log(`${this.stamp()}  application maps the file`);
  }

  verdict(strategy: StrategyName, variant?: { label: string; mixCtime: boolean }): Verdict {
    return {
      strategy,
      ...(variant ? { variant: variant.label, ctimeMixed: variant.mixCtime } : {}),
      faulted: this.trackedFaulted,
      noticed: this.noticedAfterUs !== null,
      afterSec: this.noticedAfterUs === null ? null : this.noticedAfterUs / SEC,
      stale: this.clientContents !== this.contents,
      txns: this.sim.count('txns'),
    };
  }
}
