/**
 * Every clause of the after-run check (checkInvariants and, for the kernel
 * target, checkKernelCounters in state.ts) fires: each test brings a real
 * model to rest (stores, commits, munmap, sync), confirms nothing is wrong,
 * breaks exactly one property and sees exactly that clause's line.
 */
import { describe, expect, it } from 'vitest';
import type { JournalName } from '../../src/model/journals/index.js';
import {
  B_LOCK,
  BUFFER_SLOTS,
  COUNTER_SLOTS,
  CPU_COUNTERS,
  I_DISK_MTIME,
  I_LOCK,
  I_SEQ,
  J_COMMIT,
  J_HOT,
  JC_COMMITTED,
  JC_RECORDS,
  LOG_CAPACITY,
  LOG_RECORD_SLOTS,
  P_DATA,
  P_FLAGS,
  P_WBDATA,
  PG_DIRTY,
  PG_LOCKED,
  TAG_PAGES_PER_WORD,
  cpuAt,
  dirtyTagAt,
  inodeAt,
  lockStatAt,
  pageAt,
  type CounterName,
} from '../../src/model/layout.js';
import { J_LIST, J_TXN, T_CREDITS, T_STATE, T_TID, T_UPDATES, TXN_LOCKED } from '../../src/model/journals/jbd2.js';
import { G_HEAD, J_ACTIVE_TRANS, J_WGRANT, J_CTX, J_GRANT } from '../../src/model/journals/xfs-cil.js';
import { RwLock, TtasLock, makeLock } from '../../src/model/locks/locks.js';
import type { Sim } from '../../src/model/sim.js';
import { checkInvariants, checkKernelCounters, finalSync } from '../../src/model/state.js';
import type { StrategyName } from '../../src/model/strategies/index.js';
import { makeModel } from '../helpers/model.js';

const PAGES = 8;
const PASSES = 3;

/**
 * page_fault3 by hand: each pass maps, stores into every page, unmaps and
 * commits, with the clock moved so that every pass logs the inode; then
 * sync(2). eager-iversion logs every fault, so the log holds several records
 * of inode 0 with rising tids and i_versions.
 */
function atRest(journal: JournalName, strategy: StrategyName = 'eager-iversion'): Sim {
  const m = makeModel(strategy, { journal, pages: PAGES });
  for (let gen = 1; gen <= PASSES; gen++) {
    m.setTime(gen * 100_000);
    m.k.mmap(0, gen);
    for (let p = 0; p < PAGES; p++) m.k.store(0, p, gen);
    m.k.munmap(0, gen);
    m.k.journal.commit();
  }
  finalSync(m.sab, m.cfg, () => m.nowUs);
  expect(checkInvariants(m.sab, m.cfg)).toEqual([]);
  return m;
}

const counterAt = (m: Sim, cpu: number, name: CounterName): number =>
  cpuAt(m.cfg.layout, cpu) + CPU_COUNTERS + COUNTER_SLOTS[name];
const pageSlot = (m: Sim, p: number): number => pageAt(m.cfg.layout, 0, p);
const journalAt = (m: Sim, slot: number): number => m.cfg.layout.journalBase + slot;
const records = (m: Sim): number => Atomics.load(m.i32, journalAt(m, J_COMMIT + JC_RECORDS));
const recordAt = (m: Sim, n: number): number => m.cfg.layout.logBase + (n % LOG_CAPACITY) * LOG_RECORD_SLOTS;
const setTag = (m: Sim, p: number): void => {
  Atomics.or(m.i32, dirtyTagAt(m.cfg.layout, 0, p), 1 << (p % TAG_PAGES_PER_WORD));
};
const broken = (m: Sim): string[] => checkInvariants(m.sab, m.cfg);

describe('checkInvariants: pages', () => {
  it('a page left locked', () => {
    const m = atRest('jbd2');
    Atomics.or(m.i32, pageSlot(m, 3) + P_FLAGS, PG_LOCKED);
    expect(broken(m)).toEqual(['page 0:3 left locked']);
  });

  it('a page still dirty after sync (dirty and tagged, so the tag agrees)', () => {
    const m = atRest('jbd2');
    Atomics.or(m.i32, pageSlot(m, 5) + P_FLAGS, PG_DIRTY);
    setTag(m, 5);
    expect(broken(m)).toEqual(['page 0:5 still dirty after sync']);
  });

  it('the dirty tag disagreeing with a clean page', () => {
    const m = atRest('jbd2');
    setTag(m, 6);
    expect(broken(m)).toEqual(['page 0:6: dirty tag 1 disagrees with its PG_DIRTY']);
  });

  it('a lost store: the written-back copy differs from the page', () => {
    const m = atRest('jbd2');
    Atomics.sub(m.i32, pageSlot(m, 2) + P_WBDATA, 1);
    expect(broken(m)).toEqual(['1 pages lost a store: written-back copy differs from the page after sync']);
  });

  it('the stores counted disagreeing with what the pages hold', () => {
    const m = atRest('jbd2');
    // Page and its written-back copy move together: nothing is lost, but the sum no longer matches the counter.
    Atomics.add(m.i32, pageSlot(m, 1) + P_DATA, 1);
    Atomics.add(m.i32, pageSlot(m, 1) + P_WBDATA, 1);
    const stores = PASSES * PAGES;
    expect(broken(m)).toEqual([`stores counted ${stores} but pages hold ${stores + 1}`]);
  });

  it('faults that do not balance stores plus refaults', () => {
    const m = atRest('jbd2');
    const stores = PASSES * PAGES;
    expect(m.count('faults')).toBe(stores);
    Atomics.add(m.i32, counterAt(m, 0, 'faults'), 1);
    expect(broken(m)).toEqual([`faults ${stores + 1} do not balance stores ${stores} + refaults 0`]);
  });
});

describe('checkInvariants: faults of a mapping that stays (rewrite)', () => {
  it('may be fewer than the stores, never more than stores plus refaults', () => {
    const m = makeModel('eager', { journal: 'jbd2', pages: PAGES, workload: 'rewrite' });
    m.k.mmap(0, 1);
    for (let pass = 0; pass < 2; pass++) for (let p = 0; p < PAGES; p++) m.k.store(0, p, 1);
    m.k.munmap(0, 1);
    finalSync(m.sab, m.cfg, () => m.nowUs);
    // The second pass found every PTE writable: half the stores faulted.
    expect([m.count('stores'), m.count('faults')]).toEqual([2 * PAGES, PAGES]);
    expect(broken(m)).toEqual([]);
    Atomics.add(m.i32, counterAt(m, 0, 'faults'), PAGES + 1);
    expect(broken(m)).toEqual([`faults ${2 * PAGES + 1} do not balance stores ${2 * PAGES} + refaults 0`]);
  });
});

describe('checkInvariants: jbd2', () => {
  it('t_updates left above 0', () => {
    const m = atRest('jbd2');
    Atomics.store(m.i32, journalAt(m, J_TXN + T_UPDATES), 2);
    expect(broken(m)).toEqual(['t_updates is 2, not 0']);
  });

  it('credits left outstanding', () => {
    const m = atRest('jbd2');
    Atomics.store(m.i32, journalAt(m, J_TXN + T_CREDITS), 7);
    expect(broken(m)).toEqual(['t_outstanding_credits is 7, not 0']);
  });

  it('the transaction left locked', () => {
    const m = atRest('jbd2');
    Atomics.store(m.i32, journalAt(m, J_TXN + T_STATE), TXN_LOCKED);
    expect(broken(m)).toEqual(['transaction left locked']);
  });

  it('the committed sequence not behind the running tid', () => {
    const m = atRest('jbd2');
    const tid = Atomics.load(m.i32, journalAt(m, J_TXN + T_TID));
    Atomics.store(m.i32, journalAt(m, J_COMMIT + JC_COMMITTED), tid);
    expect(broken(m)).toEqual([`committed sequence ${tid} is not behind the running tid ${tid}`]);
  });
});

describe('checkInvariants: xfs', () => {
  // Each clause alone, on both CIL journals: the slot left wrong, and the line that names it.
  const CLAUSES = [
    ['the grant head holding bytes', J_GRANT + G_HEAD, 512, 'grant head holds 512 bytes after the final push'],
    [
      'the write grant head holding bytes',
      J_WGRANT + G_HEAD,
      256,
      'write grant head holds 256 bytes after the final push',
    ],
    ['m_active_trans left above 0', J_ACTIVE_TRANS, 3, 'm_active_trans is 3 after every transaction ended'],
  ] as const;
  for (const journal of ['xfs-cil', 'xfs-cil-percpu'] as const) {
    it.each(CLAUSES)(`${journal}: %s`, (_what, slot, value, line) => {
      const m = atRest(journal);
      Atomics.store(m.i32, journalAt(m, slot), value);
      expect(broken(m)).toEqual([line]);
    });
  }

  it('jbd2 has no grant heads to check', () => {
    const m = atRest('jbd2');
    Atomics.store(m.i32, journalAt(m, J_GRANT + G_HEAD), 512);
    expect(broken(m)).toEqual([]);
  });
});

describe('checkInvariants: the log', () => {
  it.each(['jbd2', 'xfs-cil'] as const)('%s: a tid going backwards', (journal) => {
    const m = atRest(journal);
    const n = records(m) - 1;
    const prev = Atomics.load(m.i32, recordAt(m, n - 1));
    expect(prev).toBeGreaterThan(0);
    Atomics.store(m.i32, recordAt(m, n), prev - 1);
    expect(broken(m)).toEqual([`log record ${n}: tid ${prev - 1} after ${prev}`]);
  });

  it.each(['jbd2', 'xfs-cil'] as const)("%s: an inode's i_version going backwards", (journal) => {
    const m = atRest(journal);
    const n = records(m) - 1;
    // The record before the last of the same inode (every record here is inode 0).
    expect(Atomics.load(m.i32, recordAt(m, n) + 1)).toBe(0);
    expect(Atomics.load(m.i32, recordAt(m, n - 1) + 1)).toBe(0);
    const prev = Atomics.load(m.i32, recordAt(m, n - 1) + 2);
    expect(prev).toBeGreaterThan(0);
    Atomics.store(m.i32, recordAt(m, n) + 2, prev - 1);
    expect(broken(m)).toEqual([`log record ${n}: i_version of inode 0 went back to ${prev - 1}`]);
  });

  it('reads only the last LOG_CAPACITY records of a wrapped ring', () => {
    const m = atRest('jbd2');
    const n = records(m);
    // As if the ring had wrapped: the oldest live record is n, so slot (n - 1) % capacity now holds the newest.
    Atomics.store(m.i32, journalAt(m, J_COMMIT + JC_RECORDS), n + LOG_CAPACITY - 1);
    expect(broken(m)).toContainEqual(expect.stringMatching(/^log record \d+: tid 0 after \d+$/));
  });
});

describe('checkInvariants: inodes', () => {
  it('a seqcount left odd (a writer that never finished), with any journal', () => {
    for (const journal of ['jbd2', 'none'] as const) {
      const m = atRest(journal);
      Atomics.add(m.i32, inodeAt(m.cfg.layout, 0) + I_SEQ, 1);
      expect(broken(m)).toEqual(['inode 0: seqcount left odd']);
    }
  });

  it('the committed copy differing from memory', () => {
    const m = atRest('jbd2');
    const at = inodeAt(m.cfg.layout, 0) + I_DISK_MTIME;
    const disk = Atomics.sub(m.i32, at, 1) - 1;
    const line = broken(m);
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(
      new RegExp(
        `^inode 0: committed \\(iversion, mtime, ctime\\) \\d+,${disk},\\d+ differs from memory \\d+,${disk + 1},\\d+$`,
      ),
    );
  });

  it('with no journal there is no committed copy to compare', () => {
    const m = atRest('none');
    Atomics.sub(m.i32, inodeAt(m.cfg.layout, 0) + I_DISK_MTIME, 1);
    expect(broken(m)).toEqual([]);
  });
});

describe('checkInvariants: locks left held', () => {
  const held = (m: Sim, take: (k: Sim['k']) => void): string[] => {
    take(m.k);
    return broken(m);
  };

  it('the journal hot lock, of the configured kind', () => {
    const m = atRest('jbd2');
    const l = m.cfg.layout;
    expect(
      held(m, (k) => makeLock(m.cfg.lock, k.lockCtx, lockStatAt(l, k.cpu, 0)).acquire(journalAt(m, J_HOT))),
    ).toEqual(['journal hot lock left held']);
  });

  it('j_list_lock', () => {
    const m = atRest('jbd2');
    expect(held(m, (k) => k.inodeLock.acquire(journalAt(m, J_LIST)))).toEqual(['j_list_lock left held']);
  });

  it('xc_ctx_lock, held shared as a CIL commit holds it', () => {
    const m = atRest('xfs-cil');
    expect(
      held(m, (k) => new RwLock(k.lockCtx, lockStatAt(m.cfg.layout, k.cpu, 0)).acquireShared(journalAt(m, J_CTX))),
    ).toEqual(['xc_ctx_lock left held']);
  });

  it("an inode's lock", () => {
    const m = atRest('jbd2');
    expect(held(m, (k) => k.inodeLock.acquire(inodeAt(m.cfg.layout, 0) + I_LOCK))).toEqual(['inode 0 lock left held']);
  });

  it("a buffer's lock", () => {
    const m = atRest('jbd2');
    const l = m.cfg.layout;
    expect(l.buffers).toBeGreaterThan(0);
    expect(
      held(m, (k) =>
        new TtasLock(k.lockCtx, lockStatAt(l, k.cpu, 0)).acquire(
          l.bufferBase + (l.buffers - 1) * BUFFER_SLOTS + B_LOCK,
        ),
      ),
    ).toEqual([`buffer ${l.buffers - 1} lock left held`]);
  });
});

describe('checkKernelCounters', () => {
  /** The counters of a kernel-target writer that did two whole passes and three stores of a third. */
  const counted = (faults: number, stores: number, passes: number): string[] => {
    const m = makeModel('none', { journal: 'none', pages: PAGES });
    Atomics.store(m.i32, counterAt(m, 0, 'faults'), faults);
    Atomics.store(m.i32, counterAt(m, 0, 'stores'), stores);
    Atomics.store(m.i32, counterAt(m, 0, 'passes'), passes);
    return checkKernelCounters(m.i32, m.cfg);
  };

  it('holds for balanced counters, a pass cut short included', () => {
    expect(counted(2 * PAGES + 3, 2 * PAGES + 3, 2)).toEqual([]);
  });

  it('a fault count that is not the store count', () => {
    expect(counted(2 * PAGES + 2, 2 * PAGES + 3, 2)).toEqual([
      `writer 0: ${2 * PAGES + 2} faults counted for ${2 * PAGES + 3} stores`,
    ]);
  });

  it('stores that do not fit the passes, too few or too many', () => {
    for (const stores of [2 * PAGES - 1, 3 * PAGES]) {
      expect(counted(stores, stores, 2)).toEqual([`writer 0: ${stores} stores do not fit 2 passes of ${PAGES} pages`]);
    }
  });
});
