/**
 * A store that races with writeback faults again. The race is built, not
 * hoped for: the writer's CPU reaches shared memory through a Memory that,
 * at the moment the store lands in the page (its add to the page's data
 * word), lets the flusher's CPU write the file back. page_mkclean then
 * write-protects the PTE under the store, the store's re-check sees it and
 * faults once more (a refault), and the page is dirty again, as a store
 * after writeback leaves it.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/model/kernel.js';
import { P_DATA, P_WBDATA, pageAt } from '../../src/model/layout.js';
import { atomicsWith, type Memory } from '../../src/model/memory.js';
import { checkInvariants, finalSync } from '../../src/model/state.js';
import type { StrategyName } from '../../src/model/strategies/index.js';
import { makeModel } from '../helpers/model.js';

const PAGES = 4;

/** ATOMICS, except that an add to word `at` first runs `during` once it has landed. */
function raceOnAdd(at: number, during: () => void): Memory & { fired: number } {
  const mem = Object.assign(
    atomicsWith({
      add(a: Int32Array, i: number, v: number): number {
        const old = Atomics.add(a, i, v);
        if (i === at) {
          mem.fired++;
          during();
        }
        return old;
      },
    }),
    { fired: 0 },
  );
  return mem;
}

function race(strategy: StrategyName) {
  const m = makeModel(strategy, { pages: PAGES });
  const l = m.cfg.layout;
  const raced = pageAt(l, 0, 2);
  // The flusher: another CPU's kernel over the same state, writing the whole file back.
  const flusher = new Kernel(m.sab, m.cfg, l.cpus - 1, () => m.nowUs);
  let written = 0;
  const mem = raceOnAdd(raced + P_DATA, () => (written += flusher.writebackInode(0)));
  const writer = new Kernel(m.sab, m.cfg, 0, () => m.nowUs, mem);
  writer.mmap(0, 1);
  for (let p = 0; p < PAGES; p++) writer.store(0, p, 1);
  return { m, mem, written, raced, writer };
}

describe('a store racing with writeback', () => {
  it.each(['eager', 'deferred', 'eager-iversion'] as const)(
    '%s: refaults, keeps every store, and the invariants hold',
    (strategy) => {
      const { m, mem, written, raced, writer } = race(strategy);
      expect(mem.fired).toBe(1);
      // Pages 0..2 were dirty when the flusher ran in the middle of the store to page 2.
      expect(written).toBe(3);
      expect(m.count('stores')).toBe(PAGES);
      expect(m.count('refaults')).toBe(1);
      expect(m.count('faults')).toBe(PAGES + 1);
      // The raced store landed before the copy, so the write-back already holds it; the refault dirtied the page again.
      expect(Atomics.load(m.i32, raced + P_WBDATA)).toBe(1);
      writer.munmap(0, 1);
      finalSync(m.sab, m.cfg, () => m.nowUs);
      expect(checkInvariants(m.sab, m.cfg)).toEqual([]);
    },
  );

  it('without the race nothing refaults', () => {
    const m = makeModel('eager', { pages: PAGES });
    m.k.mmap(0, 1);
    for (let p = 0; p < PAGES; p++) m.k.store(0, p, 1);
    m.k.writebackInode(0);
    expect([m.count('faults'), m.count('refaults')]).toEqual([PAGES, 0]);
  });
});
