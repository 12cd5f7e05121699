/** A crash loses what only memory held and brings back what the journal committed. */
import { describe, expect, it } from 'vitest';
import { crashAndRecover } from '../../src/model/crash.js';
import { I_IVERSION, P_DATA, inodeAt, pageAt } from '../../src/model/layout.js';
import { checkInvariants } from '../../src/model/state.js';
import { makeModel } from '../helpers/model.js';

describe('crashAndRecover', () => {
  it('keeps written-back data and committed inodes, drops the rest, and marks i_version queried', () => {
    const m = makeModel('eager-iversion', { pages: 2 });
    m.k.mmap(0, 1);
    m.k.store(0, 0, 1);
    m.k.fsync(0);
    m.k.journal.commit();
    // Uncommitted and unwritten: a second bump and a store to page 1.
    m.k.store(0, 1, 1);
    expect(Atomics.load(m.i32, inodeAt(m.cfg.layout, 0) + I_IVERSION) >>> 1).toBe(2);
    crashAndRecover(m.sab, m.cfg);
    expect(Atomics.load(m.i32, inodeAt(m.cfg.layout, 0) + I_IVERSION) >>> 1).toBe(1);
    expect(m.k.iversionQueried(0)).toBe(true);
    expect(Atomics.load(m.i32, pageAt(m.cfg.layout, 0, 0) + P_DATA)).toBe(1);
    expect(Atomics.load(m.i32, pageAt(m.cfg.layout, 0, 1) + P_DATA)).toBe(0);
    // The mapping is gone: the next store through it faults, and the journal takes new transactions.
    const faults = m.count('faults');
    m.k.mmap(0, 2);
    m.k.store(0, 1, 2);
    expect(m.count('faults')).toBe(faults + 1);
    m.k.fsync(0);
    m.k.journal.commit();
    // The journal and the locks are consistent again (the store count is not: the crash lost a store).
    expect(checkInvariants(m.sab, m.cfg).filter((x) => !x.startsWith('stores counted'))).toEqual([]);
  });
});
