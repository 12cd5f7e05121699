/**
 * Each strategy's semantics on a single-threaded model with a hand-driven
 * clock: which events bump i_version and the timestamps, which start a
 * journal transaction, and when.
 */
import { describe, expect, it } from 'vitest';
import type { Attr } from '../../src/model/kernel.js';
import {
  I_CTIME,
  I_DISK_CTIME,
  I_DISK_IVERSION,
  I_IVERSION,
  I_MTIME,
  IF_DIRTY_TIME,
  inodeAt,
} from '../../src/model/layout.js';
import { makeModel, type Model } from '../helpers/model.js';

const TICK_US = 4000;

/** The inode as memory holds it, read without going through getattr (which would mark it queried). */
function peek(m: Model): Attr {
  const at = inodeAt(m.cfg.layout, 0);
  return {
    iversion: Atomics.load(m.i32, at + I_IVERSION) >>> 1,
    mtime: Atomics.load(m.i32, at + I_MTIME),
    ctime: Atomics.load(m.i32, at + I_CTIME),
  };
}

/** One store to each of `pages` pages through a fresh mapping: `pages` write faults. The mapping stays until unmap(). */
let gen = 0;
function pass(m: Model, pages = m.cfg.layout.pages): void {
  gen++;
  m.k.mmap(0, gen);
  for (let p = 0; p < pages; p++) m.k.store(0, p, gen);
}
const unmap = (m: Model): void => m.k.munmap(0, gen);

const getattr = (m: Model): Attr => m.k.getattr(0, { iversion: 0, mtime: 0, ctime: 0 });

describe('none', () => {
  it('keeps no timestamps and starts no transaction', () => {
    const m = makeModel('none');
    m.tick(5);
    pass(m);
    expect(m.count('faults')).toBe(8);
    expect(peek(m)).toEqual({ iversion: 0, mtime: 0, ctime: 0 });
    expect(m.count('txns')).toBe(0);
  });
});

describe('eager-iversion', () => {
  it('bumps i_version and starts a transaction on every fault, even within one tick', () => {
    const m = makeModel('eager-iversion');
    m.tick(3);
    pass(m);
    expect(m.count('txns')).toBe(8);
    expect(peek(m)).toEqual({ iversion: 8, mtime: 3 * TICK_US, ctime: 3 * TICK_US });
  });
});

describe('eager', () => {
  it('updates the times only when the coarse clock moved, and never i_version', () => {
    const m = makeModel('eager');
    m.tick(1);
    pass(m);
    expect(m.count('txns')).toBe(1);
    expect(peek(m)).toEqual({ iversion: 0, mtime: TICK_US, ctime: TICK_US });
    pass(m);
    expect(m.count('txns')).toBe(1);
    m.tick(2);
    pass(m);
    expect(m.count('txns')).toBe(2);
    expect(peek(m).mtime).toBe(2 * TICK_US);
  });
});

describe('deferred', () => {
  it('updates nothing at the fault, and once (times and i_version) when the mapping is unmapped', () => {
    const m = makeModel('deferred');
    m.tick(7);
    pass(m);
    expect(m.count('faults')).toBe(8);
    expect(m.count('txns')).toBe(0);
    expect(peek(m)).toEqual({ iversion: 0, mtime: 0, ctime: 0 });
    unmap(m);
    expect(m.count('txns')).toBe(1);
    expect(peek(m)).toEqual({ iversion: 1, mtime: 7 * TICK_US, ctime: 7 * TICK_US });
    // The pages are still dirty but no PTE maps them: their writeback moves no dirty bit, so no second update.
    expect(m.k.writebackInode(0)).toBe(8);
    expect(m.count('txns')).toBe(1);
  });

  it('updates at writeback when page_mkclean finds dirty PTEs, and not again at munmap if nothing was stored since', () => {
    const m = makeModel('deferred');
    m.tick(2);
    pass(m);
    expect(m.k.writebackInode(0)).toBe(8);
    expect(m.count('txns')).toBe(1);
    expect(peek(m).iversion).toBe(1);
    unmap(m);
    expect(m.count('txns')).toBe(1);
  });

  it('a store to a page still dirty and writable changes nothing until the next writeback shows it', () => {
    const m = makeModel('deferred', { pages: 1 });
    pass(m);
    m.k.writebackInode(0);
    m.k.store(0, 0, gen); // faults again (writeback protected it), no update
    const v = peek(m).iversion;
    m.k.store(0, 0, gen); // no fault
    expect(peek(m).iversion).toBe(v);
    m.k.writebackInode(0);
    expect(peek(m).iversion).toBe(v + 1);
  });

  it('msync(MS_ASYNC) write-protects the stored pages, updates once, and the next store to them faults', () => {
    const m = makeModel('deferred', { pages: 4 });
    pass(m);
    m.k.msync(0, gen, 3, 4, false);
    expect(m.count('msyncs')).toBe(1);
    expect(m.count('txns')).toBe(1);
    expect(peek(m).iversion).toBe(1);
    expect(m.count('wrprotects')).toBe(4);
    // Nothing stored since: the next msync has no dirty PTE to move and updates nothing.
    m.k.msync(0, gen, 3, 4, false);
    expect(m.count('txns')).toBe(1);
    const faults = m.count('faults');
    m.k.store(0, 2, gen);
    expect(m.count('faults')).toBe(faults + 1);
    m.k.msync(0, gen, 2, 1, false);
    expect(peek(m).iversion).toBe(2);
  });

  it('fsync and MS_SYNC update through writeback', () => {
    const m = makeModel('deferred', { pages: 2 });
    pass(m);
    m.k.fsync(0);
    expect(peek(m).iversion).toBe(1);
    m.k.store(0, 0, gen);
    m.k.msync(0, gen, 0, 1, true);
    expect(peek(m).iversion).toBe(2);
    expect(m.count('pagesWritten')).toBe(3);
  });
});

describe('msync under strategies that update at the fault', () => {
  it('MS_ASYNC is a system call and nothing more: no page protected, no update', () => {
    const m = makeModel('eager-iversion', { pages: 4 });
    pass(m);
    const txns = m.count('txns');
    m.k.msync(0, gen, 3, 4, false);
    expect(m.count('msyncs')).toBe(1);
    expect(m.count('txns')).toBe(txns);
    expect(m.count('wrprotects')).toBe(0);
  });
});

describe('lazytime', () => {
  it('changes the times in memory without a transaction, and journals them at sync', () => {
    const m = makeModel('lazytime');
    m.tick(2);
    pass(m);
    expect(m.count('txns')).toBe(0);
    expect(peek(m)).toEqual({ iversion: 0, mtime: 2 * TICK_US, ctime: 2 * TICK_US });
    expect(m.k.testFlag(0, IF_DIRTY_TIME)).toBe(true);
    const at = inodeAt(m.cfg.layout, 0);
    expect(Atomics.load(m.i32, at + I_DISK_CTIME)).toBe(0);
    // Not yet expired (24 h scaled): stays in memory.
    expect(m.k.flushDirtyTime(0, m.k.coarseNow(), false)).toBe(false);
    expect(m.k.flushDirtyTime(0, m.k.coarseNow(), true)).toBe(true);
    expect(m.count('txns')).toBe(1);
    m.k.journal.commit();
    expect(Atomics.load(m.i32, at + I_DISK_CTIME)).toBe(2 * TICK_US);
  });
});

describe('iversion-queried', () => {
  it('bumps i_version only after someone read it, once per read', () => {
    const m = makeModel('iversion-queried');
    m.tick(1);
    pass(m);
    expect(peek(m).iversion).toBe(0);
    expect(m.count('txns')).toBe(1); // the clock moved once: timestamps only
    getattr(m);
    pass(m);
    expect(peek(m).iversion).toBe(1);
    expect(m.count('txns')).toBe(2);
    pass(m);
    expect(peek(m).iversion).toBe(1);
    expect(m.count('txns')).toBe(2);
  });
});

describe('multigrain', () => {
  it('takes a fine-grained ctime when ctime was read since it changed, coarse otherwise', () => {
    const m = makeModel('multigrain');
    m.tick(1);
    m.fine(TICK_US + 123);
    pass(m);
    expect(peek(m).ctime).toBe(TICK_US);
    expect(m.count('txns')).toBe(1);
    // Same tick, nobody looked: no update.
    pass(m);
    expect(m.count('txns')).toBe(1);
    getattr(m);
    pass(m);
    expect(peek(m).ctime).toBe(TICK_US + 123);
    expect(m.count('txns')).toBe(2);
    // The fine stamp is unseen, so the next faults in this tick change nothing.
    pass(m);
    expect(m.count('txns')).toBe(2);
    expect(peek(m).iversion).toBe(0);
  });
});

describe('getattr', () => {
  it('marks i_version queried without changing its value', () => {
    const m = makeModel('eager-iversion');
    pass(m, 3);
    const a = getattr(m);
    expect(a.iversion).toBe(3);
    expect(m.k.iversionQueried(0)).toBe(true);
    expect(peek(m).iversion).toBe(3);
    pass(m, 1);
    expect(m.k.iversionQueried(0)).toBe(false);
  });

  it('commits carry the in-memory state to the on-disk copy', () => {
    const m = makeModel('eager-iversion');
    pass(m, 5);
    m.k.journal.commit();
    const at = inodeAt(m.cfg.layout, 0);
    expect(Atomics.load(m.i32, at + I_DISK_IVERSION)).toBe(5);
  });
});
