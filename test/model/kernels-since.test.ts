/**
 * The rows for the kernels since 2013 and the clock they stamp with: lazytime
 * and multigrain with i_version kept, multigrain's fine-grained stamps and
 * global floor, and timestamps truncated to s_time_gran.
 */
import { describe, expect, it } from 'vitest';
import type { Attr } from '../../src/model/kernel.js';
import { CTL_MG_FLOOR, I_CTIME, I_IVERSION, I_MTIME, IF_DIRTY_TIME, inodeAt } from '../../src/model/layout.js';
import { makeModel, type Model } from '../helpers/model.js';

const TICK_US = 4000;

function peek(m: Model, ino = 0): Attr {
  const at = inodeAt(m.cfg.layout, ino);
  return {
    iversion: Atomics.load(m.i32, at + I_IVERSION) >>> 1,
    mtime: Atomics.load(m.i32, at + I_MTIME),
    ctime: Atomics.load(m.i32, at + I_CTIME),
  };
}

let gen = 0;
/** A fresh mapping of file `w` (separate-file: writer w maps file w) and one store to each page: every store faults. */
function pass(m: Model, w = 0): void {
  gen++;
  m.k.mmap(w, gen);
  for (let p = 0; p < m.cfg.layout.pages; p++) m.k.store(w, p, gen);
}
const getattr = (m: Model, ino = 0): Attr => m.k.getattr(ino, { iversion: 0, mtime: 0, ctime: 0 });

describe('lazytime-iversion', () => {
  it('keeps the times in memory until i_version is read; then the next change bumps it in a transaction', () => {
    const m = makeModel('lazytime-iversion');
    m.tick(1);
    pass(m);
    expect(m.count('txns')).toBe(0);
    expect(peek(m)).toEqual({ iversion: 0, mtime: TICK_US, ctime: TICK_US });
    expect(m.k.testFlag(0, IF_DIRTY_TIME)).toBe(true);
    getattr(m);
    pass(m);
    expect(m.count('txns')).toBe(1);
    expect(peek(m).iversion).toBe(1);
    // The transaction logged the in-memory times: nothing is left for lazytime to flush.
    expect(m.k.testFlag(0, IF_DIRTY_TIME)).toBe(false);
    // Unread since the bump: further faults, even in a new tick, stay out of the journal.
    m.tick(2);
    pass(m);
    expect(m.count('txns')).toBe(1);
    expect(peek(m)).toEqual({ iversion: 1, mtime: 2 * TICK_US, ctime: 2 * TICK_US });
  });

  it('lazytime (no i_version) never journals at the fault, read or not', () => {
    const m = makeModel('lazytime');
    m.tick(1);
    pass(m);
    getattr(m);
    m.tick(2);
    pass(m);
    expect(m.count('txns')).toBe(0);
    expect(peek(m).iversion).toBe(0);
  });
});

describe('multigrain', () => {
  it('takes a fine stamp only when ctime was read and the coarse clock would not show the change', () => {
    const m = makeModel('multigrain');
    m.tick(1);
    m.fine(TICK_US + 100);
    pass(m);
    expect(peek(m).ctime).toBe(TICK_US);
    getattr(m);
    // Read, and the coarse clock moved past ctime: a coarse stamp shows the change, so no fine one.
    m.tick(2);
    m.fine(2 * TICK_US + 300);
    pass(m);
    expect(peek(m).ctime).toBe(2 * TICK_US);
    getattr(m);
    // Read, and the coarse clock has not moved: only a fine stamp shows the change.
    m.fine(2 * TICK_US + 400);
    pass(m);
    expect(peek(m).ctime).toBe(2 * TICK_US + 400);
    expect(peek(m).iversion).toBe(0);
  });

  it('never stamps another file below the floor a fine stamp raised', () => {
    const m = makeModel('multigrain', { writers: 2 });
    m.tick(1);
    m.fine(TICK_US + 10);
    pass(m, 0);
    pass(m, 1);
    getattr(m, 0);
    m.fine(TICK_US + 900);
    pass(m, 0);
    expect(peek(m, 0).ctime).toBe(TICK_US + 900);
    expect(Atomics.load(m.i32, CTL_MG_FLOOR)).toBe(TICK_US + 900);
    // File 1 was not read: a coarse stamp, but the coarse clock reads the floor, so it is not older than file 0's change.
    m.k.updateInode(1, 3);
    expect(peek(m, 1).ctime).toBe(TICK_US + 900);
  });

  it('multigrain-iversion also bumps i_version when it was read, even within one tick', () => {
    const m = makeModel('multigrain-iversion');
    m.tick(1);
    pass(m);
    expect(peek(m).iversion).toBe(0);
    getattr(m);
    pass(m);
    expect(peek(m).iversion).toBe(1);
    const txns = m.count('txns');
    pass(m);
    expect(peek(m).iversion).toBe(1);
    expect(m.count('txns')).toBe(txns);
  });
});

describe('s_time_gran', () => {
  it('eager updates only when the time truncated to the granularity changes', () => {
    const fine = makeModel('eager');
    const coarse = makeModel('eager', { timeGranNs: 1_000_000_000 });
    // 300 ticks of 4 ms = 1.2 s: every tick is a new time at 1 ns, but the whole second changes once.
    for (let t = 1; t <= 300; t++) {
      fine.tick(t);
      coarse.tick(t);
      pass(fine);
      pass(coarse);
    }
    expect(fine.count('timeUpdates')).toBe(300);
    expect(coarse.count('timeUpdates')).toBe(1);
    expect(peek(coarse).mtime).toBe(1_000_000);
  });

  it('truncates to the granularity in between', () => {
    const m = makeModel('eager', { timeGranNs: 10_000_000 });
    m.tick(7); // 28 ms
    pass(m);
    expect(peek(m).mtime).toBe(20_000);
  });
});
