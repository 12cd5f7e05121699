/**
 * XFS's Committed Item List, driven by hand: a transaction inserts its inode
 * once per CIL context, into the global list (2013) or its CPU's own list
 * (2021), keeps the item's bytes reserved on both grant heads and gives the
 * rest back; the push writes the items under the context's sequence, opens
 * the next context and releases the items' space.
 */
import { describe, expect, it } from 'vitest';

import { XFS_CIL, XFS_CIL_PERCPU, XFS_ITEM_BYTES } from '../../src/model/journals/xfs-cil.js';
import { Kernel } from '../../src/model/kernel.js';
import {
  CPU_CIL,
  I_CIL_CTX,
  I_DISK_TID,
  J_COMMIT,
  JC_COMMITTED,
  JC_RECORDS,
  LC_GRANT,
  LOG_RECORD_SLOTS,
  LS_ACQ,
  PCIL_COUNT,
  PCIL_SPACE,
  cpuAt,
  inodeAt,
  lockStatAt,
} from '../../src/model/layout.js';
import {
  CIL_COUNT,
  CIL_SEQ,
  CIL_SPACE,
  G_HEAD,
  J_ACTIVE_TRANS,
  J_CIL,
  J_GRANT,
  J_WGRANT,
} from '../../src/model/journals/xfs-cil.js';
import type { Sim } from '../../src/model/sim.js';
import { S_TIMES } from '../../src/model/timeflags.js';
import { makeModel } from '../helpers/model.js';

const load = (m: Sim, at: number): number => Atomics.load(m.i32, at);
const journal = (m: Sim, slot: number): number => load(m, m.cfg.layout.journalBase + slot);
const heads = (m: Sim): number[] => [journal(m, J_GRANT + G_HEAD), journal(m, J_WGRANT + G_HEAD)];
const cil = (m: Sim): number[] => [
  journal(m, J_CIL + CIL_SEQ),
  journal(m, J_CIL + CIL_COUNT),
  journal(m, J_CIL + CIL_SPACE),
];
const pcil = (m: Sim, cpu: number): number[] => {
  const at = cpuAt(m.cfg.layout, cpu) + CPU_CIL;
  return [load(m, at + PCIL_COUNT), load(m, at + PCIL_SPACE)];
};
/** The inodes of log records [from, to). */
const loggedInodes = (m: Sim, from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => load(m, m.cfg.layout.logBase + (from + i) * LOG_RECORD_SLOTS + 1));
const loggedTids = (m: Sim, from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => load(m, m.cfg.layout.logBase + (from + i) * LOG_RECORD_SLOTS));

function model(journal: 'xfs-cil' | 'xfs-cil-percpu'): { m: Sim; cpu1: Kernel } {
  const m = makeModel('eager', { journal, writers: 4 });
  m.setTime(100_000);
  return { m, cpu1: new Kernel(m.sab, m.cfg, 1, () => m.nowUs) };
}

describe('xfs-cil (one global CIL)', () => {
  it('inserts an inode once per context and keeps only the items’ bytes on both grant heads', () => {
    const { m, cpu1 } = model('xfs-cil');
    m.k.journal.update(2, S_TIMES);
    cpu1.journal.update(0, S_TIMES);
    m.k.journal.update(2, S_TIMES);
    expect(cil(m)).toEqual([1, 2, 2 * XFS_ITEM_BYTES]);
    expect(Array.from(m.i32.subarray(m.cfg.layout.bufListBase, m.cfg.layout.bufListBase + 2))).toEqual([2, 0]);
    expect(load(m, inodeAt(m.cfg.layout, 2) + I_CIL_CTX)).toBe(1);
    expect(heads(m)).toEqual([2 * XFS_ITEM_BYTES, 2 * XFS_ITEM_BYTES]);
    expect(journal(m, J_ACTIVE_TRANS)).toBe(0);
    expect(m.count('txns')).toBe(3);
    // Every transaction reserved on the grant head once.
    expect(load(m, lockStatAt(m.cfg.layout, 0, LC_GRANT) + LS_ACQ)).toBe(2);
    expect(pcil(m, 0)).toEqual([0, 0]);
  });

  it('pushes the items under the context sequence, opens the next context and frees their space', () => {
    const { m, cpu1 } = model('xfs-cil');
    m.k.journal.update(2, S_TIMES);
    cpu1.journal.update(0, S_TIMES);
    expect(cpu1.journal.commit()).toBe(2);
    expect(loggedInodes(m, 0, 2)).toEqual([2, 0]);
    expect(loggedTids(m, 0, 2)).toEqual([1, 1]);
    expect(load(m, inodeAt(m.cfg.layout, 2) + I_DISK_TID)).toBe(1);
    expect(cil(m)).toEqual([2, 0, 0]);
    expect(heads(m)).toEqual([0, 0]);
    expect(journal(m, J_COMMIT + JC_COMMITTED)).toBe(1);
    expect([m.count('commits'), m.count('commitItems')]).toEqual([1, 2]);
    // The same inode goes into the new context.
    m.k.journal.update(2, S_TIMES);
    expect(cil(m)).toEqual([2, 1, XFS_ITEM_BYTES]);
    expect(m.k.journal.commit()).toBe(1);
    expect(loggedTids(m, 2, 3)).toEqual([2]);
  });

  it('an empty push writes nothing and keeps the context', () => {
    const { m } = model('xfs-cil');
    expect(m.k.journal.commit()).toBe(0);
    expect(cil(m)).toEqual([1, 0, 0]);
    expect([journal(m, J_COMMIT + JC_RECORDS), journal(m, J_COMMIT + JC_COMMITTED), m.count('commits')]).toEqual([
      0, 0, 0,
    ]);
  });
});

describe('xfs-cil-percpu (a CIL list per CPU)', () => {
  it('inserts into the CPU’s own list, once per context whichever CPU comes second', () => {
    const { m, cpu1 } = model('xfs-cil-percpu');
    m.k.journal.update(3, S_TIMES);
    cpu1.journal.update(1, S_TIMES);
    cpu1.journal.update(2, S_TIMES);
    cpu1.journal.update(3, S_TIMES);
    expect([pcil(m, 0), pcil(m, 1)]).toEqual([
      [1, XFS_ITEM_BYTES],
      [2, 2 * XFS_ITEM_BYTES],
    ]);
    const l = m.cfg.layout;
    expect(load(m, l.pcilListBase + l.files)).toBe(1);
    expect(load(m, l.pcilListBase + l.files + 1)).toBe(2);
    // The global list is not used.
    expect(cil(m)).toEqual([1, 0, 0]);
    expect(heads(m)).toEqual([3 * XFS_ITEM_BYTES, 3 * XFS_ITEM_BYTES]);
  });

  it('a push gathers every CPU’s list in CPU order and empties them', () => {
    const { m, cpu1 } = model('xfs-cil-percpu');
    cpu1.journal.update(1, S_TIMES);
    m.k.journal.update(3, S_TIMES);
    cpu1.journal.update(2, S_TIMES);
    expect(m.k.journal.commit()).toBe(3);
    expect(loggedInodes(m, 0, 3)).toEqual([3, 1, 2]);
    expect(loggedTids(m, 0, 3)).toEqual([1, 1, 1]);
    expect([pcil(m, 0), pcil(m, 1)]).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(cil(m)[0]).toBe(2);
    expect(heads(m)).toEqual([0, 0]);
    expect(XFS_CIL_PERCPU.invariants(m.i32, m.cfg.layout.journalBase)).toEqual([]);
    expect(XFS_CIL.invariants(m.i32, m.cfg.layout.journalBase)).toEqual([]);
  });
});
