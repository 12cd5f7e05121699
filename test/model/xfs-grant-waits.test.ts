/**
 * XFS log space, played out on one thread: a transaction whose reservation
 * does not fit the log asks for a push and sleeps on the grant head until
 * the push releases space; one that fits exactly goes on. A cmpxchg that
 * loses to another CPU's counts as contended and retries.
 */
import { describe, expect, it } from 'vitest';

import { XFS_ITEM_BYTES, XFS_LOG_BYTES, XFS_RESERVATION } from '../../src/model/journals/xfs-cil.js';
import { Kernel } from '../../src/model/kernel.js';
import { LC_GRANT, LS_ACQ, LS_CONTENDED, WQ_GEN, lockStatAt } from '../../src/model/layout.js';
import { G_HEAD, G_WQ, J_ACTIVE_TRANS, J_GRANT, J_WGRANT } from '../../src/model/journals/xfs-cil.js';
import { ATOMICS, atomicsWith, type Memory } from '../../src/model/memory.js';
import type { Sim } from '../../src/model/sim.js';
import { S_TIMES } from '../../src/model/timeflags.js';
import { scriptedCpu } from '../helpers/scripted-memory.js';
import { makeModel } from '../helpers/model.js';

const grantAt = (m: Sim): number => m.cfg.layout.journalBase + J_GRANT + G_HEAD;
const writeAt = (m: Sim): number => m.cfg.layout.journalBase + J_WGRANT + G_HEAD;
const grantStat = (m: Sim, cpu: number, field: number): number =>
  Atomics.load(m.i32, lockStatAt(m.cfg.layout, cpu, LC_GRANT) + field);

/** One item in the CIL (its bytes on both heads), and `others` more bytes reserved on the grant head. */
function model(others: number): Sim {
  const m = makeModel('eager', { journal: 'xfs-cil', writers: 2 });
  m.setTime(100_000);
  m.k.journal.update(0, S_TIMES);
  Atomics.add(m.i32, grantAt(m), others);
  return m;
}

describe('xfs-cil log reservation', () => {
  it('goes on when the reservation fills the log exactly', () => {
    const m = model(XFS_LOG_BYTES - XFS_RESERVATION - XFS_ITEM_BYTES);
    const writer = scriptedCpu(m, 2, []);
    writer.k.journal.update(1, S_TIMES);
    expect(writer.sleeps).toEqual([]);
    expect(writer.k.journal.commitRequested()).toBe(false);
    expect(Atomics.load(m.i32, grantAt(m))).toBe(XFS_LOG_BYTES - XFS_RESERVATION + XFS_ITEM_BYTES);
  });

  it('asks for a push when the log is short, and sleeps until the push frees space', () => {
    const others = XFS_LOG_BYTES - XFS_RESERVATION - XFS_ITEM_BYTES + 1;
    const m = model(others);
    const committer = new Kernel(m.sab, m.cfg, 1, () => m.nowUs);
    const writer = scriptedCpu(m, 2, [
      (sleep) => {
        expect(committer.journal.commitRequested()).toBe(true);
        // The sleeping transaction is running: it counts in m_active_trans.
        expect(Atomics.load(m.i32, m.cfg.layout.journalBase + J_ACTIVE_TRANS)).toBe(1);
        // Nothing reserved yet on either head.
        expect(Atomics.load(m.i32, grantAt(m))).toBe(others + XFS_ITEM_BYTES);
        expect(Atomics.load(m.i32, writeAt(m))).toBe(XFS_ITEM_BYTES);
        expect(committer.journal.commit()).toBe(1);
        // The push handed the item's bytes back and woke the sleeper.
        expect(Atomics.load(m.i32, sleep.slot)).not.toBe(sleep.value);
      },
    ]);
    writer.k.journal.update(1, S_TIMES);
    expect(writer.sleeps.map((s) => s.slot)).toEqual([m.cfg.layout.journalBase + J_GRANT + G_WQ + WQ_GEN]);
    expect(Atomics.load(m.i32, grantAt(m))).toBe(others + XFS_ITEM_BYTES);
    expect(Atomics.load(m.i32, writeAt(m))).toBe(XFS_ITEM_BYTES);
    expect(grantStat(m, 2, LS_ACQ)).toBe(1);
  });
});

describe('xfs-cil grant-head cmpxchg', () => {
  it('tells the Memory each cmpxchg is a test-and-set hand-off of the head, under the grant class', () => {
    const m = model(0);
    const seen: string[] = [];
    const recording: Memory = atomicsWith({
      lockAcquired: (base, kind, shared, stat) => void seen.push(`acquired ${base} ${kind} ${shared} ${stat}`),
      lockReleased: (base, kind, shared, stat) => void seen.push(`released ${base} ${kind} ${shared} ${stat}`),
    });
    const writer = new Kernel(m.sab, m.cfg, 2, () => m.nowUs, recording);
    writer.journal.update(1, S_TIMES);
    const stat = lockStatAt(m.cfg.layout, 2, LC_GRANT);
    const handOff = (at: number): string[] => [
      `acquired ${at} ttas false ${stat}`,
      `released ${at} ttas false ${stat}`,
    ];
    // Reserve on both heads, then hand back the unused part on both.
    const heads = seen.filter((l) => l.endsWith(` ${stat}`));
    expect(heads).toEqual([
      ...handOff(grantAt(m)),
      ...handOff(writeAt(m)),
      ...handOff(grantAt(m)),
      ...handOff(writeAt(m)),
    ]);
  });

  it('loses to another CPU’s reservation, counts the loss and retries on each head', () => {
    const m = model(0);
    const base: Memory = ATOMICS;
    const raced = new Set<number>();
    // Another CPU's reservation lands between this CPU's load and its cmpxchg, once on each head.
    const racing: Memory = atomicsWith({
      compareExchange(a, i, expected, replacement) {
        if ((i === grantAt(m) || i === writeAt(m)) && !raced.has(i)) {
          raced.add(i);
          base.add(a, i, XFS_RESERVATION);
        }
        return base.compareExchange(a, i, expected, replacement);
      },
    });
    const writer = new Kernel(m.sab, m.cfg, 2, () => m.nowUs, racing);
    writer.journal.update(1, S_TIMES);
    expect(raced.size).toBe(2);
    expect(grantStat(m, 2, LS_CONTENDED)).toBe(2);
    expect(grantStat(m, 2, LS_ACQ)).toBe(1);
    // Both heads hold both items and the other CPU's reservation, nothing more and nothing less.
    expect(Atomics.load(m.i32, grantAt(m))).toBe(2 * XFS_ITEM_BYTES + XFS_RESERVATION);
    expect(Atomics.load(m.i32, writeAt(m))).toBe(2 * XFS_ITEM_BYTES + XFS_RESERVATION);
  });
});
