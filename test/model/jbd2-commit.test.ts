/**
 * A jbd2 commit, driven by hand on one CPU: handles file each inode-table
 * block once per transaction, and the commit writes every inode of every
 * filed block under the transaction's tid, then opens the next transaction.
 */
import { describe, expect, it } from 'vitest';

import {
  B_TID,
  I_CTIME,
  I_DISK_CTIME,
  I_DISK_IVERSION,
  I_DISK_MTIME,
  I_DISK_TID,
  I_IVERSION,
  I_MTIME,
  INODES_PER_BUFFER,
  J_COMMIT,
  JC_COMMITTED,
  JC_RECORDS,
  JC_REQUEST,
  LOG_RECORD_SLOTS,
  bufferAt,
  inodeAt,
} from '../../src/model/layout.js';
import { J_TXN, T_CREDITS, T_NBUF, T_STATE, T_TID, T_UPDATES, TXN_RUNNING } from '../../src/model/journals/jbd2.js';
import { S_TIMES, S_VERSION } from '../../src/model/timeflags.js';
import type { Sim } from '../../src/model/sim.js';
import { makeModel } from '../helpers/model.js';

/** 20 files: two inode-table blocks, the second holding only inodes 16 to 19. */
const FILES = 20;
const txn = (m: Sim, slot: number): number => Atomics.load(m.i32, m.cfg.layout.journalBase + J_TXN + slot);
const jc = (m: Sim, slot: number): number => Atomics.load(m.i32, m.cfg.layout.journalBase + J_COMMIT + slot);
const inode = (m: Sim, ino: number, slot: number): number => Atomics.load(m.i32, inodeAt(m.cfg.layout, ino) + slot);
const record = (m: Sim, n: number): number[] =>
  Array.from(
    m.i32.subarray(m.cfg.layout.logBase + n * LOG_RECORD_SLOTS, m.cfg.layout.logBase + n * LOG_RECORD_SLOTS + 4),
  );

function model(): Sim {
  const m = makeModel('eager-iversion', { journal: 'jbd2', writers: FILES });
  expect(m.cfg.layout.files).toBe(FILES);
  m.setTime(300_000);
  return m;
}

describe('jbd2 handles', () => {
  it('file each inode-table block once per transaction and keep one credit per filed block', () => {
    const m = model();
    const j = m.k.journal;
    for (const ino of [3, 5, 17]) j.update(ino, S_TIMES | S_VERSION);
    expect(txn(m, T_TID)).toBe(1);
    // Inodes 3 and 5 share block 0; 17 is in block 1.
    expect(txn(m, T_NBUF)).toBe(2);
    expect(Array.from(m.i32.subarray(m.cfg.layout.bufListBase, m.cfg.layout.bufListBase + 2))).toEqual([0, 1]);
    expect(Atomics.load(m.i32, bufferAt(m.cfg.layout, 0) + B_TID)).toBe(1);
    expect(Atomics.load(m.i32, bufferAt(m.cfg.layout, 17) + B_TID)).toBe(1);
    expect(txn(m, T_CREDITS)).toBe(2);
    expect(txn(m, T_UPDATES)).toBe(0);
    expect(m.count('txns')).toBe(3);
    expect(j.commitRequested()).toBe(false);
  });
});

describe('jbd2 commit', () => {
  it('writes every inode of each filed block under the tid, then opens the next transaction', () => {
    const m = model();
    const j = m.k.journal;
    for (const ino of [3, 5, 17]) j.update(ino, S_TIMES | S_VERSION);
    const items = j.commit();
    expect(items).toBe(FILES);
    expect(jc(m, JC_RECORDS)).toBe(FILES);
    // Block 0's sixteen inodes in order, then block 1's four (the table ends at FILES).
    for (let n = 0; n < FILES; n++) {
      const ino = n;
      expect(record(m, n)).toEqual([1, ino, inode(m, ino, I_IVERSION) >>> 1, inode(m, ino, I_MTIME)]);
      expect(inode(m, ino, I_DISK_TID)).toBe(1);
      expect(inode(m, ino, I_DISK_MTIME)).toBe(inode(m, ino, I_MTIME));
      expect(inode(m, ino, I_DISK_CTIME)).toBe(inode(m, ino, I_CTIME));
      expect(inode(m, ino, I_DISK_IVERSION)).toBe(inode(m, ino, I_IVERSION) >>> 1);
    }
    expect(inode(m, 3, I_DISK_MTIME)).toBe(300_000);
    expect(inode(m, 3, I_DISK_IVERSION)).toBe(1);
    expect(inode(m, INODES_PER_BUFFER, I_DISK_IVERSION)).toBe(0);
    expect([txn(m, T_TID), txn(m, T_NBUF), txn(m, T_CREDITS), txn(m, T_STATE)]).toEqual([2, 0, 0, TXN_RUNNING]);
    expect(jc(m, JC_COMMITTED)).toBe(1);
    expect([m.count('commits'), m.count('commitItems')]).toEqual([1, FILES]);
  });

  it('with nothing filed writes nothing and leaves the sequence where it was', () => {
    const m = model();
    const j = m.k.journal;
    j.update(3, S_TIMES);
    expect(j.commit()).toBe(INODES_PER_BUFFER);
    expect(j.commit()).toBe(0);
    expect([txn(m, T_TID), jc(m, JC_COMMITTED), jc(m, JC_RECORDS)]).toEqual([2, 1, INODES_PER_BUFFER]);
    expect(m.count('commits')).toBe(1);
  });

  it('files a block again in the next transaction, and writes it under the new tid', () => {
    const m = model();
    const j = m.k.journal;
    j.update(17, S_TIMES);
    j.commit();
    m.setTime(400_000);
    j.update(17, S_TIMES);
    expect([txn(m, T_NBUF), Atomics.load(m.i32, bufferAt(m.cfg.layout, 17) + B_TID)]).toEqual([1, 2]);
    // Block 1 holds the last four inodes: the first commit wrote records 0 to 3, this one 4 to 7.
    expect(j.commit()).toBe(4);
    expect(record(m, 4)).toEqual([2, 16, 0, 0]);
    expect(record(m, 5)).toEqual([2, 17, 0, 400_000]);
    expect(inode(m, 17, I_DISK_MTIME)).toBe(400_000);
    expect(jc(m, JC_COMMITTED)).toBe(2);
  });

  it('takes a pending commit request, even when there is nothing to commit', () => {
    const m = model();
    const j = m.k.journal;
    const request = m.cfg.layout.journalBase + J_COMMIT + JC_REQUEST;
    Atomics.store(m.i32, request, 1);
    expect(j.commitRequested()).toBe(true);
    expect(j.commit()).toBe(0);
    expect(j.commitRequested()).toBe(false);
    j.update(3, S_TIMES);
    Atomics.store(m.i32, request, 1);
    j.commit();
    expect(j.commitRequested()).toBe(false);
  });
});
