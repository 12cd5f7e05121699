/**
 * Property tests on the single-threaded model kernel (Sim): for every
 * strategy × journal, random workloads (separate-file, shared-file, rewrite;
 * 1–3 writers, 1–8 pages) run a random sequence of stores, munmaps,
 * writebacks, journal commits, getattrs, clock advances and lazytime flushes.
 *
 * Alongside the Sim runs a small independent model of the page side (which
 * PTEs are writable, which pages are dirty, what each page holds), so every
 * step is checked against it: the PTE table, dirty bits, page data,
 * written-back copies and the fault / store / pagesWritten counters. After
 * the sequence, finalSync and checkInvariants must find nothing wrong, and
 * each strategy's promises about i_version and the timestamps must hold:
 * never decreasing, unchanged between two getattrs with no store in between
 * (except where the strategy updates at writeback), and changed by any store
 * in between where the strategy guarantees that.
 *
 * Seeds are fixed so a failure reproduces; FAULTSCALE_FC_SEED=<n> and
 * FAULTSCALE_FC_RUNS=<n> explore further.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Attr } from '../../src/model/kernel.js';
import { JOURNAL_NAMES, type JournalName } from '../../src/model/journals/index.js';
import {
  I_CTIME,
  I_IVERSION,
  I_MTIME,
  P_DATA,
  P_FLAGS,
  P_WBDATA,
  PG_DIRTY,
  PG_LOCKED,
  inodeAt,
  pageAt,
  pteTableAt,
} from '../../src/model/layout.js';
import { Sim } from '../../src/model/sim.js';
import { checkInvariants, finalSync } from '../../src/model/state.js';
import { STRATEGY_NAMES, type StrategyName } from '../../src/model/strategies/index.js';
import { WORKLOAD_NAMES, remapsEveryPass, type WorkloadName } from '../../src/model/workloads.js';

const NUM_RUNS = Number(process.env.FAULTSCALE_FC_RUNS ?? 100);
const BASE_SEED = Number(process.env.FAULTSCALE_FC_SEED ?? 20240611);
/** Inode timestamps are Int32 microseconds: keep the model clock well inside that range. */
const CLOCK_MAX = 2_000_000_000;

// ---- scenarios ----------------------------------------------------------

type Op =
  | { readonly kind: 'store'; readonly w: number; readonly p: number }
  | { readonly kind: 'munmap'; readonly w: number }
  | { readonly kind: 'writeback'; readonly f: number }
  | { readonly kind: 'commit' }
  | { readonly kind: 'getattr'; readonly f: number }
  | { readonly kind: 'advance'; readonly us: number }
  | { readonly kind: 'flushDirtyTime'; readonly f: number; readonly force: boolean };

interface Scenario {
  readonly workload: WorkloadName;
  readonly writers: number;
  readonly pages: number;
  readonly timeScale: number;
  readonly ops: readonly Op[];
}

// Writer, page and inode indices are drawn from a fixed range and reduced modulo the
// scenario's counts, so ops and configuration shrink independently.
const idx = fc.nat(7);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('store' as const), w: idx, p: idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('munmap' as const), w: idx }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('writeback' as const), f: idx }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('getattr' as const), f: idx }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      // Mostly within a few ticks (4 ms each), sometimes far enough to expire lazytime timestamps.
      us: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: 10_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 200_000_000 }) },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('flushDirtyTime' as const), f: idx, force: fc.boolean() }),
  },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  workload: fc.constantFrom(...WORKLOAD_NAMES),
  writers: fc.integer({ min: 1, max: 3 }),
  pages: fc.integer({ min: 1, max: 8 }),
  // 0.01 is the default; the smaller scales bring lazytime's 24 h expiry within reach of the clock.
  timeScale: fc.constantFrom(0.01, 1e-4, 1e-6),
  ops: fc.array(opArb, { maxLength: 60, size: 'max' }),
});

// ---- which promises each strategy makes -----------------------------------

/** Strategies that never touch i_version. */
const NO_IVERSION: ReadonlySet<StrategyName> = new Set(['none', 'eager', 'lazytime', 'multigrain']);
/** Strategies that change the inode only at a fault (never at writeback or getattr). */
const changesOnlyAtFault = (s: StrategyName): boolean => s !== 'deferred';
/**
 * Does a store between two getattrs always move i_version? wrprotect-on-query always; strategies that
 * bump at the fault (every fault, or every fault after a query) when every store faults.
 */
function iversionSeesEveryStore(s: StrategyName, w: WorkloadName): boolean {
  if (s === 'wrprotect-on-query') return true;
  return remapsEveryPass(w) && (s === 'eager-iversion' || s === 'iversion-queried');
}
/** Multigrain: a store after a getattr faults (on remapping workloads) and takes a fine, strictly later ctime. */
const ctimeSeesEveryStore = (s: StrategyName, w: WorkloadName): boolean => s === 'multigrain' && remapsEveryPass(w);

// ---- one run ----------------------------------------------------------------

interface Tally {
  getattrs: number;
  storesBetweenGetattrs: number;
}

function runScenario(strategy: StrategyName, journal: JournalName, sc: Scenario, tally: Tally): void {
  const { workload, writers, pages } = sc;
  const sim = new Sim(strategy, { journal, writers, pages, workload, timeScale: sc.timeScale });
  const k = sim.k;
  const l = sim.cfg.layout;
  const i32 = sim.i32;
  const files = l.files;
  const remaps = remapsEveryPass(workload);
  const shared = workload === 'shared-file';
  expect(files).toBe(shared ? 1 : writers);
  const fileOf = (w: number): number => (shared ? 0 : w);
  const mappers = (f: number): number[] => (shared ? Array.from({ length: writers }, (_, w) => w) : [f]);

  // The independent model of the page side.
  const gen = Array.from({ length: writers }, () => 1); // PTEs start at 0, so generation 1 is a fresh mapping
  const touched = Array.from({ length: writers }, () => new Set<number>()); // pages stored in the current mapping
  const pte = Array.from({ length: writers }, () => new Array<number>(pages).fill(0));
  const dirty = Array.from({ length: files }, () => new Array<boolean>(pages).fill(false));
  const data = Array.from({ length: files }, () => new Array<number>(pages).fill(0));
  const wbdata = Array.from({ length: files }, () => new Array<number>(pages).fill(0));
  let faults = 0;
  let stores = 0;
  let pagesWritten = 0;
  let polls = 0;
  let munmaps = 0;

  // What was last seen of each inode: by peeking (every step) and by getattr.
  const peek = (f: number): Attr => {
    const at = inodeAt(l, f);
    return {
      iversion: Atomics.load(i32, at + I_IVERSION) >>> 1,
      mtime: Atomics.load(i32, at + I_MTIME),
      ctime: Atomics.load(i32, at + I_CTIME),
    };
  };
  let peeked = Array.from({ length: files }, (_, f) => peek(f));
  const lastAttr: (Attr | undefined)[] = new Array<Attr | undefined>(files).fill(undefined);
  const storedSince = new Array<boolean>(files).fill(false);

  const munmap = (w: number): void => {
    munmaps++;
    gen[w]!++;
    touched[w]!.clear();
  };
  /** page_mkclean as the model sees it: no mapper of the file keeps a writable PTE for the page. */
  const mkclean = (f: number, p: number): void => {
    for (const w of mappers(f)) pte[w]![p] = 0;
  };

  const where = (step: number, op: Op): string => `step ${step} ${JSON.stringify(op)}`;

  /**
   * After every step: the Sim's page side equals the model's, counters agree, and no inode went back.
   * Plain comparisons (this runs for every step of every run); a mismatch throws with the details.
   */
  const checkStep = (step: number, op: Op): void => {
    const bad: string[] = [];
    const same = (what: string, got: unknown, want: unknown): void => {
      if (got !== want) bad.push(`${what}: got ${String(got)}, model says ${String(want)}`);
    };
    for (let w = 0; w < writers; w++) {
      const t = pteTableAt(l, w);
      for (let p = 0; p < pages; p++) same(`pte ${w}:${p}`, Atomics.load(i32, t + p), pte[w]![p]);
    }
    for (let f = 0; f < files; f++) {
      for (let p = 0; p < pages; p++) {
        const pg = pageAt(l, f, p);
        const flags = Atomics.load(i32, pg + P_FLAGS);
        same(`page ${f}:${p} locked`, flags & PG_LOCKED, 0);
        same(`page ${f}:${p} dirty`, (flags & PG_DIRTY) !== 0, dirty[f]![p]);
        same(`page ${f}:${p} data`, Atomics.load(i32, pg + P_DATA), data[f]![p]);
        same(`page ${f}:${p} written-back copy`, Atomics.load(i32, pg + P_WBDATA), wbdata[f]![p]);
      }
    }
    same('stores', sim.count('stores'), stores);
    same('faults', sim.count('faults'), faults);
    same('refaults (single-threaded: none)', sim.count('refaults'), 0);
    same('pagesWritten', sim.count('pagesWritten'), pagesWritten);
    const now = Array.from({ length: files }, (_, f) => peek(f));
    for (let f = 0; f < files; f++) {
      const a = peeked[f]!;
      const b = now[f]!;
      if (b.iversion < a.iversion || b.mtime < a.mtime || b.ctime < a.ctime) {
        bad.push(`inode ${f} went back from ${JSON.stringify(a)} to ${JSON.stringify(b)}`);
      }
      if (NO_IVERSION.has(strategy)) same(`inode ${f} i_version (${strategy} keeps none)`, b.iversion, 0);
    }
    peeked = now;
    if (bad.length > 0) throw new Error(`${where(step, op)}:\n  ${bad.join('\n  ')}`);
  };

  sc.ops.forEach((op, step) => {
    switch (op.kind) {
      case 'store': {
        const w = op.w % writers;
        const p = op.p % pages;
        const f = fileOf(w);
        // page_fault3 touches each page once per mapping: a second store to a page starts the next pass.
        if (remaps && touched[w]!.has(p)) munmap(w);
        if (pte[w]![p] !== gen[w]) {
          faults++;
          dirty[f]![p] = true;
          pte[w]![p] = gen[w]!;
        }
        data[f]![p]!++;
        stores++;
        touched[w]!.add(p);
        storedSince[f] = true;
        k.store(w, p, gen[w]!);
        break;
      }
      case 'munmap':
        // rewrite keeps its one mapping for the whole run.
        if (remaps) munmap(op.w % writers);
        break;
      case 'writeback': {
        const f = op.f % files;
        let n = 0;
        for (let p = 0; p < pages; p++) {
          if (!dirty[f]![p]) continue;
          dirty[f]![p] = false;
          mkclean(f, p);
          wbdata[f]![p] = data[f]![p]!;
          n++;
        }
        pagesWritten += n;
        expect(k.writebackInode(f), `${where(step, op)}: pages written`).toBe(n);
        break;
      }
      case 'commit':
        k.journal.commit();
        break;
      case 'getattr': {
        const f = op.f % files;
        if (strategy === 'wrprotect-on-query') for (let p = 0; p < pages; p++) if (dirty[f]![p]) mkclean(f, p);
        const attr = k.getattr(f, { iversion: -1, mtime: -1, ctime: -1 });
        polls++;
        tally.getattrs++;
        const at = where(step, op);
        expect(attr, `${at}: getattr agrees with the inode`).toEqual(peek(f));
        const prev = lastAttr[f];
        if (prev) {
          expect(attr.iversion, `${at}: i_version went back`).toBeGreaterThanOrEqual(prev.iversion);
          expect(attr.mtime, `${at}: mtime went back`).toBeGreaterThanOrEqual(prev.mtime);
          expect(attr.ctime, `${at}: ctime went back`).toBeGreaterThanOrEqual(prev.ctime);
          if (storedSince[f]) {
            tally.storesBetweenGetattrs++;
            if (iversionSeesEveryStore(strategy, workload)) {
              expect(
                attr.iversion,
                `${at}: a store since the last getattr left i_version at ${prev.iversion}`,
              ).toBeGreaterThan(prev.iversion);
            }
            if (ctimeSeesEveryStore(strategy, workload)) {
              expect(attr.ctime, `${at}: a store since the last getattr left ctime at ${prev.ctime}`).toBeGreaterThan(
                prev.ctime,
              );
            }
          } else if (changesOnlyAtFault(strategy)) {
            expect(attr, `${at}: nothing was stored since the last getattr`).toEqual(prev);
          }
        }
        lastAttr[f] = attr;
        storedSince[f] = false;
        break;
      }
      case 'advance':
        sim.setTime(Math.min(sim.nowUs + op.us, CLOCK_MAX));
        break;
      case 'flushDirtyTime':
        k.flushDirtyTime(op.f % files, k.coarseNow(), op.force);
        break;
    }
    checkStep(step, op);
  });

  // sync(2), then every invariant of a finished run.
  finalSync(sim.sab, sim.cfg, () => sim.nowUs);
  for (let f = 0; f < files; f++) {
    for (let p = 0; p < pages; p++) {
      if (dirty[f]![p]) pagesWritten++;
      dirty[f]![p] = false;
      mkclean(f, p);
      wbdata[f]![p] = data[f]![p]!;
    }
  }
  checkStep(sc.ops.length, { kind: 'commit' });
  expect(checkInvariants(sim.sab, sim.cfg)).toEqual([]);

  // Every written-back copy equals the data, and the stores add up.
  let held = 0;
  for (let f = 0; f < files; f++) {
    for (let p = 0; p < pages; p++) {
      const pg = pageAt(l, f, p);
      expect(Atomics.load(i32, pg + P_WBDATA), `page ${f}:${p} after sync`).toBe(Atomics.load(i32, pg + P_DATA));
      held += Atomics.load(i32, pg + P_DATA);
    }
  }
  expect(held).toBe(stores);

  const faultsSeen = sim.count('faults');
  const refaults = sim.count('refaults');
  if (remaps) expect(faultsSeen, `${munmaps} munmaps`).toBe(sim.count('stores') + refaults);
  else expect(faultsSeen).toBeLessThanOrEqual(sim.count('stores') + refaults);
  expect(sim.count('polls')).toBe(polls);
  if (strategy === 'eager-iversion') {
    // One transaction (and one i_version bump) per fault; the none journal keeps no transactions.
    expect(sim.count('txns')).toBe(journal === 'none' ? 0 : faultsSeen);
    expect(sim.count('iversionBumps')).toBe(faultsSeen);
  }
  if (strategy === 'none') {
    expect(sim.count('txns')).toBe(0);
    expect(sim.count('timeUpdates')).toBe(0);
    expect(sim.count('iversionBumps')).toBe(0);
  }
  if (NO_IVERSION.has(strategy)) expect(sim.count('iversionBumps')).toBe(0);
}

// ---- the properties ------------------------------------------------------------

describe.each(STRATEGY_NAMES.map((s, si) => [s, si] as const))('%s', (strategy, si) => {
  it.each(JOURNAL_NAMES.map((j, ji) => [j, ji] as const))(
    'journal %s: random operation sequences keep every invariant',
    (journal, ji) => {
      const tally: Tally = { getattrs: 0, storesBetweenGetattrs: 0 };
      fc.assert(
        fc.property(scenarioArb, (sc) => runScenario(strategy, journal, sc, tally)),
        { numRuns: NUM_RUNS, seed: BASE_SEED + si * 101 + ji },
      );
      // The generator must reach the interesting cases, or the properties above say little.
      expect(tally.getattrs).toBeGreaterThan(NUM_RUNS);
      expect(tally.storesBetweenGetattrs).toBeGreaterThan(NUM_RUNS / 4);
    },
  );
});

describe('the model check itself', () => {
  it('catches a store that reached the page without faulting (a PTE left writable by writeback)', () => {
    const sim = new Sim('iversion-queried', { journal: 'jbd2', writers: 1, pages: 1, workload: 'rewrite' });
    sim.k.store(0, 0, 1);
    sim.k.writebackInode(0);
    // Simulate a page_mkclean that forgot the PTE: the next store lands without a fault and never dirties the page.
    Atomics.store(sim.i32, pteTableAt(sim.cfg.layout, 0), 1);
    sim.k.store(0, 0, 1);
    finalSync(sim.sab, sim.cfg, () => sim.nowUs);
    expect(checkInvariants(sim.sab, sim.cfg)).toContainEqual(expect.stringMatching(/lost a store/));
  });
});
