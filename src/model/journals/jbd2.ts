/**
 * ext4's jbd2, reduced to the steps that contend:
 *  - start_this_handle: j_state_lock (read side; the selectable hot lock),
 *    check the running transaction, add credits and count the handle in
 *    t_updates (atomics on one shared line);
 *  - jbd2_journal_dirty_metadata: the buffer-state lock of the inode-table
 *    block (16 inodes share one), and j_list_lock the first time the buffer
 *    joins this transaction;
 *  - jbd2_journal_stop: return unused credits, drop t_updates, wake the
 *    committer when it reaches zero;
 *  - the commit: j_state_lock for writing to lock the transaction, wait for
 *    t_updates == 0 (new handles wait meanwhile), switch to a new running
 *    transaction, then write the logged inodes outside every lock.
 */
import {
  B_LOCK,
  B_TID,
  BUFFER_SLOTS,
  C_TXNS,
  INODES_PER_BUFFER,
  J_COMMIT,
  J_HOT,
  JC_COMMITTED,
  LINE,
  LC_BUFFER,
  LC_HOT,
  LC_LIST,
  bufferAt,
  lockStatAt,
} from '../layout.js';
import { TtasLock, makeLock, park, wake, type Lock } from '../locks/locks.js';
import { ATOMICS, type Memory } from '../memory.js';
import type { Journal, JournalHost, JournalPlugin } from './journal.js';
import { clearCommitRequest, commitRequested, finishCommit, requestCommit, writeInodeRecord } from './log.js';

// jbd2's own lines of the journal block (layout.ts), offsets from journalBase.
export const J_LIST = 1 * LINE; // j_list_lock
/** Running transaction: its state, tid, t_updates and t_outstanding_credits share a line, as in transaction_t. */
export const J_TXN = 3 * LINE;
export const T_STATE = 0;
export const T_TID = 1;
export const T_UPDATES = 2;
export const T_CREDITS = 3;
export const T_NBUF = 4;
export const T_WQ = 6; // handles waiting for a RUNNING transaction
export const T_UPD_WQ = 8; // committer waiting for t_updates == 0

export const TXN_RUNNING = 0;
export const TXN_LOCKED = 1;

/** Journal credits a handle reserves, and the running transaction's limit (jbd2 j_max_transaction_buffers). */
export const HANDLE_CREDITS = 8;
export const MAX_TRANSACTION_CREDITS = 8192;

export class Jbd2 implements Journal {
  private readonly i32: Int32Array;
  private readonly mem: Memory;
  private readonly hot: Lock;
  private readonly list: TtasLock;
  private readonly bh: TtasLock;
  private readonly hotAt: number;
  private readonly listAt: number;
  private readonly txn: number;

  private readonly k: JournalHost;

  constructor(k: JournalHost) {
    const l = k.layout;
    this.k = k;
    this.i32 = k.i32;
    this.mem = k.mem;
    this.hot = makeLock(k.cfg.lock, k.lockCtx, lockStatAt(l, k.cpu, LC_HOT));
    this.list = new TtasLock(k.lockCtx, lockStatAt(l, k.cpu, LC_LIST));
    this.bh = new TtasLock(k.lockCtx, lockStatAt(l, k.cpu, LC_BUFFER));
    this.hotAt = l.journalBase + J_HOT;
    this.listAt = l.journalBase + J_LIST;
    this.txn = l.journalBase + J_TXN;
  }

  update(ino: number, flags: number): void {
    const tid = this.startHandle();
    this.k.setTimes(ino, flags);
    const used = this.dirtyMetadata(ino, tid);
    this.stopHandle(used);
  }

  /** start_this_handle: returns the tid of the transaction the handle joined. */
  private startHandle(): number {
    const i32 = this.i32;
    const txn = this.txn;
    const u = this.k.cfg.units;
    this.k.i32[this.k.ctr + C_TXNS]!++;
    this.mem.spend(u.handleStartNs);
    for (;;) {
      this.hot.acquireShared(this.hotAt);
      this.mem.spend(u.hotLockNs);
      if (this.mem.load(i32, txn + T_STATE) === TXN_RUNNING) {
        // Both counters move while j_state_lock is held, so the committer, which
        // locks the transaction under the write side, never sees a handle half-started.
        const credits = this.mem.add(i32, txn + T_CREDITS, HANDLE_CREDITS) + HANDLE_CREDITS;
        if (credits <= MAX_TRANSACTION_CREDITS) {
          this.mem.add(i32, txn + T_UPDATES, 1);
          const tid = this.mem.load(i32, txn + T_TID);
          this.hot.releaseShared(this.hotAt);
          return tid;
        }
        // The transaction is full: give the credits back, ask for a commit and wait for a new transaction.
        this.mem.sub(i32, txn + T_CREDITS, HANDLE_CREDITS);
        const tid = this.mem.load(i32, txn + T_TID);
        this.hot.releaseShared(this.hotAt);
        requestCommit(this.k);
        park(this.mem, i32, txn + T_WQ, () => this.mem.load(i32, txn + T_TID) === tid);
        continue;
      }
      this.hot.releaseShared(this.hotAt);
      // The committer has locked the transaction: wait for the next one to start running.
      park(this.mem, i32, txn + T_WQ, () => this.mem.load(i32, txn + T_STATE) !== TXN_RUNNING);
    }
  }

  /** jbd2_journal_dirty_metadata on the inode-table block; returns credits consumed (0 or 1). */
  private dirtyMetadata(ino: number, tid: number): number {
    const i32 = this.i32;
    const bh = bufferAt(this.k.layout, ino);
    let used = 0;
    this.bh.acquire(bh + B_LOCK);
    this.mem.spend(this.k.cfg.units.inodeDirtyNs);
    if (this.mem.load(i32, bh + B_TID) !== tid) {
      // First change to this block in this transaction: file it on the transaction's buffer list.
      this.list.acquire(this.listAt);
      const n = this.mem.load(i32, this.txn + T_NBUF);
      this.mem.store(i32, this.k.layout.bufListBase + n, Math.floor(ino / INODES_PER_BUFFER));
      this.mem.store(i32, this.txn + T_NBUF, n + 1);
      this.mem.store(i32, bh + B_TID, tid);
      this.list.release(this.listAt);
      used = 1;
    }
    this.bh.release(bh + B_LOCK);
    return used;
  }

  private stopHandle(used: number): void {
    const i32 = this.i32;
    this.mem.spend(this.k.cfg.units.handleStopNs);
    this.mem.sub(i32, this.txn + T_CREDITS, HANDLE_CREDITS - used);
    // The last handle out of a locked transaction lets the committer proceed.
    if (this.mem.sub(i32, this.txn + T_UPDATES, 1) === 1) wake(this.mem, i32, this.txn + T_UPD_WQ);
  }

  commitRequested(): boolean {
    return commitRequested(this.k);
  }

  commit(): number {
    const i32 = this.i32;
    const txn = this.txn;
    clearCommitRequest(this.k);
    if (this.mem.load(i32, txn + T_NBUF) === 0) return 0;
    // Lock the running transaction: no new handle can join it from here on.
    this.hot.acquire(this.hotAt);
    this.mem.spend(this.k.cfg.units.hotLockNs);
    this.mem.store(i32, txn + T_STATE, TXN_LOCKED);
    this.hot.release(this.hotAt);
    // Wait for handles already inside to stop (jbd2_journal_wait_updates).
    while (this.mem.load(i32, txn + T_UPDATES) !== 0) {
      park(this.mem, i32, txn + T_UPD_WQ, () => this.mem.load(i32, txn + T_UPDATES) !== 0);
    }
    // No handle is running: take the buffer list and open the next transaction.
    const tid = this.mem.load(i32, txn + T_TID);
    const n = this.mem.load(i32, txn + T_NBUF);
    const buffers = Array.from(i32.subarray(this.k.layout.bufListBase, this.k.layout.bufListBase + n));
    this.mem.store(i32, txn + T_NBUF, 0);
    this.mem.store(i32, txn + T_CREDITS, 0);
    this.mem.store(i32, txn + T_TID, tid + 1);
    this.hot.acquire(this.hotAt);
    this.mem.store(i32, txn + T_STATE, TXN_RUNNING);
    this.hot.release(this.hotAt);
    // Handles parked on a locked or full transaction may start now.
    wake(this.mem, i32, txn + T_WQ);
    // Write the logged blocks outside every lock, as jbd2's T_FLUSH phase does.
    let items = 0;
    const files = this.k.layout.files;
    for (const b of buffers) {
      const last = Math.min(files, (b + 1) * INODES_PER_BUFFER);
      for (let ino = b * INODES_PER_BUFFER; ino < last; ino++) {
        writeInodeRecord(this.k, ino, tid);
        items++;
      }
    }
    finishCommit(this.k, tid, items);
    return items;
  }
}

/** jbd2 as a plugin: j_state_lock is an rwlock, and a commit thread (kjournald2) commits the running transaction. */
export const JBD2: JournalPlugin = {
  about: "ext4's jbd2: handles under j_state_lock, one running transaction, a commit thread",
  make: (k) => new Jbd2(k),
  lock: 'rw',
  faultPath: 'ext4',
  committer: true,
  locks: [{ name: 'j_list_lock', slot: J_LIST }],
  init(i32, j) {
    // The transaction sequence starts at 1 so that 0 means "never logged" in buffers and inodes.
    ATOMICS.store(i32, j + J_TXN + T_TID, 1);
  },
  recover(i32, l) {
    // No buffer is filed in a transaction any more, and replay ends at the last committed one: the next starts after it.
    for (let b = 0; b < l.buffers; b++) ATOMICS.store(i32, l.bufferBase + b * BUFFER_SLOTS + B_TID, 0);
    const t = l.journalBase + J_TXN;
    ATOMICS.store(i32, t + T_STATE, TXN_RUNNING);
    ATOMICS.store(i32, t + T_TID, ATOMICS.load(i32, l.journalBase + J_COMMIT + JC_COMMITTED) + 1);
    ATOMICS.store(i32, t + T_UPDATES, 0);
    ATOMICS.store(i32, t + T_CREDITS, 0);
    ATOMICS.store(i32, t + T_NBUF, 0);
  },
  invariants(i32, j) {
    const bad: string[] = [];
    const updates = ATOMICS.load(i32, j + J_TXN + T_UPDATES);
    if (updates !== 0) bad.push(`t_updates is ${updates}, not 0`);
    const credits = ATOMICS.load(i32, j + J_TXN + T_CREDITS);
    if (credits !== 0) bad.push(`t_outstanding_credits is ${credits}, not 0`);
    if (ATOMICS.load(i32, j + J_TXN + T_STATE) !== TXN_RUNNING) bad.push('transaction left locked');
    const committed = ATOMICS.load(i32, j + J_COMMIT + JC_COMMITTED);
    const tid = ATOMICS.load(i32, j + J_TXN + T_TID);
    if (committed >= tid) bad.push(`committed sequence ${committed} is not behind the running tid ${tid}`);
    return bad;
  },
  diagnose(i32, j) {
    const t = j + J_TXN;
    return (
      `transaction ${ATOMICS.load(i32, t + T_TID)} ${ATOMICS.load(i32, t + T_STATE) === TXN_LOCKED ? 'LOCKED (commit waiting)' : 'running'}, ` +
      `t_updates ${ATOMICS.load(i32, t + T_UPDATES)}, credits ${ATOMICS.load(i32, t + T_CREDITS)}, buffers ${ATOMICS.load(i32, t + T_NBUF)}, ` +
      `committed ${ATOMICS.load(i32, j + J_COMMIT + JC_COMMITTED)}`
    );
  },
};
