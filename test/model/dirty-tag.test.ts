/**
 * The page cache's dirty tag: writeback walks the tagged pages alone, so it
 * must write back exactly the pages dirtied, clear their tags with their
 * PG_DIRTY bits, and leave the two in agreement.
 */
import { describe, expect, it } from 'vitest';
import { PG_DIRTY, P_FLAGS, TAG_PAGES_PER_WORD, dirtyTagAt, pageAt } from '../../src/model/layout.js';
import { checkInvariants } from '../../src/model/state.js';
import { makeModel } from '../helpers/model.js';

const PAGES = 100;

function tagged(m: ReturnType<typeof makeModel>, page: number): boolean {
  return ((Atomics.load(m.i32, dirtyTagAt(m.cfg.layout, 0, page)) >>> (page % TAG_PAGES_PER_WORD)) & 1) === 1;
}

describe('dirty tag', () => {
  it('writeback writes exactly the dirtied pages, across tag words, and clears their tags', () => {
    const m = makeModel('eager', { pages: PAGES });
    const dirtied = [0, 31, 32, 63, 64, 99];
    m.k.mmap(0, 1);
    for (const p of dirtied) m.k.store(0, p, 1);
    for (let p = 0; p < PAGES; p++) {
      const dirty = (Atomics.load(m.i32, pageAt(m.cfg.layout, 0, p) + P_FLAGS) & PG_DIRTY) !== 0;
      expect([p, tagged(m, p)]).toEqual([p, dirtied.includes(p)]);
      expect([p, dirty]).toEqual([p, dirtied.includes(p)]);
    }
    expect(m.k.writebackInode(0)).toBe(dirtied.length);
    for (const p of dirtied) expect(tagged(m, p)).toBe(false);
    // Clean now: a second pass has nothing to write, and a store after it dirties (and tags) its page again.
    expect(m.k.writebackInode(0)).toBe(0);
    m.k.store(0, 40, 1);
    expect(tagged(m, 40)).toBe(true);
    expect(m.k.writebackInode(0)).toBe(1);
  });

  it('write-protecting the dirty pages keeps them dirty and tagged', () => {
    const m = makeModel('wrprotect-on-query', { pages: PAGES });
    m.k.mmap(0, 1);
    for (const p of [5, 70]) m.k.store(0, p, 1);
    expect(m.k.writeProtectDirty(0)).toBe(2);
    expect([tagged(m, 5), tagged(m, 70)]).toEqual([true, true]);
    m.k.writebackInode(0);
    m.k.munmap(0, 1);
    expect(checkInvariants(m.sab, m.cfg).filter((v) => v.includes('tag'))).toEqual([]);
  });
});
