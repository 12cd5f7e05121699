/**
 * Where jbd2 sleeps, played out on one thread: a handle that finds the
 * transaction full or locked sleeps until the committer opens the next one,
 * and a commit sleeps until the last handle inside the locked transaction
 * stops. A scripted CPU runs the other side's real code where it would sleep.
 */
import { describe, expect, it } from 'vitest';

import { HANDLE_CREDITS, Jbd2, MAX_TRANSACTION_CREDITS } from '../../src/model/journals/jbd2.js';
import { Kernel } from '../../src/model/kernel.js';
import { B_TID, I_DISK_MTIME, I_MTIME, WQ_GEN, bufferAt, inodeAt } from '../../src/model/layout.js';
import {
  J_TXN,
  T_CREDITS,
  T_NBUF,
  T_STATE,
  T_TID,
  T_UPD_WQ,
  T_UPDATES,
  T_WQ,
  TXN_LOCKED,
  TXN_RUNNING,
} from '../../src/model/journals/jbd2.js';
import type { Sim } from '../../src/model/sim.js';
import { S_TIMES } from '../../src/model/timeflags.js';
import { scriptedCpu } from '../helpers/scripted-memory.js';
import { makeModel } from '../helpers/model.js';

const txnAt = (m: Sim, slot: number): number => m.cfg.layout.journalBase + J_TXN + slot;
const txn = (m: Sim, slot: number): number => Atomics.load(m.i32, txnAt(m, slot));
const blockTid = (m: Sim, ino: number): number => Atomics.load(m.i32, bufferAt(m.cfg.layout, ino) + B_TID);

/** Two writers' files (one inode-table block), transaction 1 already holding it. */
function model(): { m: Sim; committer: Kernel } {
  const m = makeModel('eager', { journal: 'jbd2', writers: 2 });
  m.setTime(100_000);
  m.k.journal.update(0, S_TIMES);
  expect([txn(m, T_TID), txn(m, T_NBUF), txn(m, T_CREDITS)]).toEqual([1, 1, 1]);
  return { m, committer: new Kernel(m.sab, m.cfg, 1, () => m.nowUs) };
}

describe('jbd2 start_this_handle', () => {
  it('joins a transaction its credits fill exactly', () => {
    const { m } = model();
    Atomics.store(m.i32, txnAt(m, T_CREDITS), MAX_TRANSACTION_CREDITS - HANDLE_CREDITS);
    const writer = scriptedCpu(m, 2, []);
    writer.k.journal.update(1, S_TIMES);
    expect(writer.sleeps).toEqual([]);
    // Block 0 was filed already in this transaction: the handle used none of its credits.
    expect(txn(m, T_CREDITS)).toBe(MAX_TRANSACTION_CREDITS - HANDLE_CREDITS);
    expect(writer.k.journal.commitRequested()).toBe(false);
  });

  it('gives back the credits of a full transaction, asks for a commit and joins the next', () => {
    const { m, committer } = model();
    const outstanding = MAX_TRANSACTION_CREDITS - HANDLE_CREDITS + 1;
    Atomics.store(m.i32, txnAt(m, T_CREDITS), outstanding);
    const writer = scriptedCpu(m, 2, [
      (sleep) => {
        expect([txn(m, T_CREDITS), txn(m, T_UPDATES)]).toEqual([outstanding, 0]);
        expect(committer.journal.commitRequested()).toBe(true);
        expect(committer.journal.commit()).toBe(2);
        // Opening the next transaction woke the handles waiting for it.
        expect(Atomics.load(m.i32, sleep.slot)).not.toBe(sleep.value);
      },
    ]);
    m.setTime(200_000);
    writer.k.journal.update(1, S_TIMES);
    expect(writer.sleeps).toEqual([{ slot: txnAt(m, T_WQ) + WQ_GEN, value: 0 }]);
    // The change went into transaction 2, which files the block anew.
    expect([txn(m, T_TID), txn(m, T_NBUF), blockTid(m, 1), txn(m, T_UPDATES)]).toEqual([2, 1, 2, 0]);
    expect(Atomics.load(m.i32, inodeAt(m.cfg.layout, 1) + I_DISK_MTIME)).toBe(0);
    expect(committer.journal.commit()).toBe(2);
    expect(Atomics.load(m.i32, inodeAt(m.cfg.layout, 1) + I_DISK_MTIME)).toBe(200_000);
  });

  it('waits out a locked transaction without being counted in it, then joins the next', () => {
    const { m, committer } = model();
    // The committer's first step: the running transaction is locked.
    Atomics.store(m.i32, txnAt(m, T_STATE), TXN_LOCKED);
    const writer = scriptedCpu(m, 2, [
      () => {
        // Not counted: the commit need not wait for this handle.
        expect([txn(m, T_UPDATES), txn(m, T_CREDITS)]).toEqual([0, 1]);
        committer.journal.commit();
      },
    ]);
    writer.k.journal.update(1, S_TIMES);
    expect(writer.sleeps).toHaveLength(1);
    expect(writer.sleeps[0]!.slot).toBe(txnAt(m, T_WQ) + WQ_GEN);
    expect([txn(m, T_STATE), txn(m, T_TID), blockTid(m, 1)]).toEqual([TXN_RUNNING, 2, 2]);
  });
});

describe('jbd2 commit', () => {
  it('locks the transaction and waits for the last handle inside to stop, which wakes it', () => {
    const m = makeModel('eager', { journal: 'jbd2', writers: 2 });
    m.setTime(100_000);
    const inside = m.k.journal;
    expect(inside).toBeInstanceOf(Jbd2);
    const handle = inside as Jbd2;
    // A handle on CPU 0 has started and changed inode 1, but not stopped.
    const tid = handle['startHandle']();
    m.k.setTimes(1, S_TIMES);
    const used = handle['dirtyMetadata'](1, tid);
    expect([tid, used, txn(m, T_UPDATES)]).toEqual([1, 1, 1]);
    const committer = scriptedCpu(m, 1, [
      (sleep) => {
        expect([txn(m, T_STATE), txn(m, T_TID)]).toEqual([TXN_LOCKED, 1]);
        handle['stopHandle'](used);
        expect(Atomics.load(m.i32, sleep.slot)).not.toBe(sleep.value);
      },
    ]);
    expect(committer.k.journal.commit()).toBe(2);
    expect(committer.sleeps.map((s) => s.slot)).toEqual([txnAt(m, T_UPD_WQ) + WQ_GEN]);
    const at = inodeAt(m.cfg.layout, 1);
    expect(Atomics.load(m.i32, at + I_DISK_MTIME)).toBe(Atomics.load(m.i32, at + I_MTIME));
    expect([txn(m, T_STATE), txn(m, T_TID), txn(m, T_CREDITS), txn(m, T_UPDATES)]).toEqual([TXN_RUNNING, 2, 0, 0]);
  });
});
