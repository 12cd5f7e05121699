/**
 * Deterministic scenarios: the two 2013 arguments, stepped by hand on a
 * single-threaded model whose clock is kernel time (time scale 1). The
 * client is an NFS client: it caches the attributes and the data it read,
 * revalidates by getattr, and refetches only when the attributes changed.
 * Verdicts are what the model did, not what the scenario expects.
 */
import { I_CTIME, I_IVERSION, I_MTIME, P_DATA, inodeAt, pageAt } from './layout.js';
import type { Attr } from './kernel.js';
import { Sim } from './sim.js';
import { StalenessTracker } from './staleness.js';
import { STRATEGY_NAMES, type StrategyName } from './strategies/index.js';

const SEC = 1_000_000;
/** NFS clients revalidate at least every few seconds; the flusher wakes every 5 s. */
export const POLL_EVERY_US = 1 * SEC;
export const FLUSH_EVERY_US = 5 * SEC;
/** Scenarios start one second after the file was created, so the coarse clock has moved past its times. */
export const START_US = 1 * SEC;
/** How long a scenario follows a store before calling it never noticed. */
export const HORIZON_US = 120 * SEC;

export interface Verdict {
  readonly strategy: StrategyName;
  /** Did the tracked store fault (run page_mkwrite)? */
  readonly faulted: boolean;
  readonly noticed: boolean;
  /** From the tracked store to the poll that noticed it, kernel seconds; null if never. */
  readonly afterSec: number | null;
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

/** The world one scenario runs in: one file, one mapping that stays, one client. */
export class World implements Steps {
  readonly sim: Sim;
  private readonly tracker = new StalenessTracker(1);
  private readonly log: (line: string) => void;
  private clientData = 0;
  private nextFlushUs = FLUSH_EVERY_US;
  private tracked: number | null = null;
  /** Lag of the tracked store once noticed. */
  noticedAfterUs: number | null = null;
  trackedFaulted = false;

  constructor(strategy: StrategyName, log: (line: string) => void) {
    this.sim = new Sim(strategy, { pages: 4, timeScale: 1 });
    this.sim.setTime(START_US);
    this.sim.k.mmap(0, 1);
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

  private data(): number {
    return Atomics.load(this.sim.i32, pageAt(this.sim.cfg.layout, 0, 0) + P_DATA);
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
    const written = k.writebackInode(0);
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
    this.sim.k.store(0, 0, 1);
    const faulted = this.sim.count('faults') > faults;
    const after = this.peek();
    const changed = before.iversion !== after.iversion || before.ctime !== after.ctime;
    if (track) {
      this.tracked = this.sim.nowUs;
      this.trackedFaulted = faulted;
      this.tracker.stored(0, this.sim.nowUs);
    }
    this.log(
      `${this.stamp()}  store to page 0${track ? ' (the store in question)' : ''}: ` +
        (faulted ? 'write fault → page_mkwrite' : 'PTE writable, no fault') +
        (changed ? `; inode now ${this.attrText(after)}` : '; attributes unchanged') +
        (this.sim.count('txns') > txns ? ', journal transaction' : ''),
    );
  }

  /** The client revalidates: getattr, compare with its cache, refetch if changed. */
  revalidate(quiet = false): boolean {
    const attr = this.sim.k.getattr(0, { iversion: 0, mtime: 0, ctime: 0 });
    const changed = this.tracker.poll(0, this.sim.nowUs, attr);
    if (changed) this.clientData = this.data();
    if (changed && this.tracked !== null && this.noticedAfterUs === null && this.tracker.unnoticed().length === 0) {
      this.noticedAfterUs = this.sim.nowUs - this.tracked;
    }
    const stale = this.clientData !== this.data();
    if (!quiet || changed) {
      this.log(
        `${this.stamp()}  client getattr: ${this.attrText(attr)} → ` +
          (changed ? 'changed: revalidates and refetches the data' : `unchanged: keeps its cache${stale ? ' (stale: the data has changed)' : ''}`),
      );
    }
    return changed;
  }

  /** Keep polling every POLL_EVERY_US (printing only changes) until the tracked store is noticed or the horizon. */
  follow(): void {
    if (this.noticedAfterUs !== null) return;
    this.log(`${this.stamp()}  client polls every ${POLL_EVERY_US / SEC} s (flusher every ${FLUSH_EVERY_US / SEC} s) ...`);
    const end = (this.tracked ?? this.sim.nowUs) + HORIZON_US;
    while (this.noticedAfterUs === null && this.sim.nowUs + POLL_EVERY_US <= end) {
      this.advance(POLL_EVERY_US);
      this.revalidate(true);
    }
    if (this.noticedAfterUs === null) this.log(`${this.stamp()}  still unchanged: the client never sees the store`);
  }

  verdict(strategy: StrategyName): Verdict {
    return {
      strategy,
      faulted: this.trackedFaulted,
      noticed: this.noticedAfterUs !== null,
      afterSec: this.noticedAfterUs === null ? null : this.noticedAfterUs / SEC,
      txns: this.sim.count('txns'),
    };
  }
}

export interface Scenario {
  readonly about: string;
  readonly run: (w: World) => void;
}

export const SCENARIOS = {
  'first-store-after-writeback': {
    about:
      'Chinner: a page is written back and cleaned; a store dirties it again; the client revalidates. The change must be visible at once.',
    run: (w: Steps) => {
      w.store();
      w.advance(0.01 * SEC);
      w.revalidate();
      w.advance(35 * SEC); // past the 30 s expiry: the flusher writes the page back on its way
      w.revalidate();
      w.advance(1 * SEC);
      w.store(true);
      w.revalidate();
      w.follow();
    },
  },
  'second-store-to-dirty-page': {
    about:
      'Lutomirski: a store faults and bumps the counter; the client revalidates; a second store hits the same still-dirty, still-writable page.',
    run: (w: Steps) => {
      w.store();
      w.advance(0.01 * SEC);
      w.revalidate();
      w.advance(1 * SEC);
      w.store(true);
      w.revalidate();
      w.follow();
    },
  },
  'writeback-window': {
    about: 'How long a single store stays invisible when nothing else happens: deferred updating waits for writeback (bounded by the 30 s expiry plus a flusher period).',
    run: (w: Steps) => {
      w.revalidate();
      w.advance(1 * SEC);
      w.store(true);
      w.revalidate();
      w.follow();
    },
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function runScenario(
  name: ScenarioName,
  strategies: readonly StrategyName[] = STRATEGY_NAMES,
  log: (line: string) => void = () => {},
): Verdict[] {
  return strategies.map((strategy) => {
    log('');
    log(`--- ${name} under ${strategy}`);
    const w = new World(strategy, log);
    SCENARIOS[name].run(w);
    return w.verdict(strategy);
  });
}

export function verdictTable(name: ScenarioName, verdicts: readonly Verdict[]): string {
  const rows = verdicts.map((v) => [
    v.strategy,
    v.faulted ? 'yes' : 'no',
    v.noticed ? (v.afterSec === 0 ? 'at once' : 'late') : 'never',
    v.afterSec === null ? `> ${HORIZON_US / SEC} s` : `${v.afterSec.toFixed(3)} s`,
    String(v.txns),
  ]);
  const header = ['strategy', 'store faulted', 'noticed', 'after (kernel s)', 'transactions'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [`verdicts: ${name}`, line(header), line(widths.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}
