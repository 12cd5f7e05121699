/**
 * XFS's delayed logging, reduced to the steps that contend (Linux v3.11,
 * fs/xfs/xfs_trans.c, xfs_log.c, xfs_log_cil.c):
 *  - xfs_trans_alloc: atomic_inc(&mp->m_active_trans), one filesystem-wide
 *    counter (atomic_dec in xfs_trans_free);
 *  - xfs_log_reserve: xlog_grant_add_space on the reserve head and then the
 *    write head, each a cmpxchg loop on its own line;
 *  - xfs_ilock(EXCL) for the whole change, the inode logged into the transaction;
 *  - xfs_log_commit_cil: xc_ctx_lock read side, then either the global
 *    Committed Item List under xc_cil_lock (2013; the selectable hot lock) or
 *    this CPU's own list (per-CPU CIL, 2021);
 *  - xfs_log_done: the unused reservation handed back to both heads
 *    (xlog_ungrant_log_space, xlog_grant_sub_space: cmpxchg loops again);
 *  - the CIL push (committer): xc_ctx_lock write side to swap contexts, then
 *    the items are written and their log space released.
 */
import {
  C_TXNS,
  CPU_CIL,
  I_CIL_CTX,
  I_LOCK,
  J_COMMIT,
  J_HOT,
  JC_COMMITTED,
  LINE,
  LC_CTX,
  LC_GRANT,
  LC_HOT,
  LS_ACQ,
  LS_CONTENDED,
  PCIL_COUNT,
  PCIL_SPACE,
  cpuAt,
  inodeAt,
  lockStatAt,
} from '../layout.js';
import { RwLock, makeLock, park, wake, type Lock } from '../locks/locks.js';
import { ATOMICS, type Memory } from '../memory.js';
import type { Journal, JournalHost, JournalPlugin } from './journal.js';
import { clearCommitRequest, commitRequested, finishCommit, requestCommit, writeInodeRecord } from './log.js';

// The CIL's own lines of the journal block (layout.ts), offsets from journalBase.
export const J_CTX = 2 * LINE; // xc_ctx_lock (rw)
/** XFS's reserve grant head (bytes reserved in the log): struct xlog_grant_head, one cache line (v3.11 xfs_log_priv.h). */
export const J_GRANT = 5 * LINE;
export const G_HEAD = 0;
export const G_WQ = 4;
export const J_CIL = 6 * LINE; // xfs CIL: context sequence, item count, space used
export const CIL_SEQ = 0;
export const CIL_COUNT = 1;
export const CIL_SPACE = 2;
/** XFS's write grant head, its own line as l_write_head is; only its grant word is modelled. */
export const J_WGRANT = 7 * LINE;
/** xfs_mount's m_active_trans: transactions in flight, one atomic the whole filesystem shares (v3.11 xfs_trans.c). */
export const J_ACTIVE_TRANS = 8 * LINE;

/** Log bytes an inode-change transaction reserves, the part an inode item uses, and the log size. */
export const XFS_RESERVATION = 2048;
export const XFS_ITEM_BYTES = 176;
export const XFS_LOG_BYTES = 1 << 28;

export class XfsCil implements Journal {
  private readonly i32: Int32Array;
  private readonly mem: Memory;
  private readonly hot: Lock;
  private readonly ctx: RwLock;
  private readonly grantStat: number;
  private readonly hotAt: number;
  private readonly ctxAt: number;
  private readonly grant: number;
  private readonly writeHead: number;
  private readonly activeTrans: number;
  private readonly cil: number;
  /** This CPU's CIL list: count and space on its own line, item slots in pcilListBase. */
  private readonly pcil: number;
  private readonly pcilList: number;

  private readonly k: JournalHost;
  private readonly perCpu: boolean;

  constructor(k: JournalHost, perCpu: boolean) {
    const l = k.layout;
    this.k = k;
    this.perCpu = perCpu;
    this.i32 = k.i32;
    this.mem = k.mem;
    this.hot = makeLock(k.cfg.lock, k.lockCtx, lockStatAt(l, k.cpu, LC_HOT));
    this.ctx = new RwLock(k.lockCtx, lockStatAt(l, k.cpu, LC_CTX));
    this.grantStat = lockStatAt(l, k.cpu, LC_GRANT);
    this.hotAt = l.journalBase + J_HOT;
    this.ctxAt = l.journalBase + J_CTX;
    this.grant = l.journalBase + J_GRANT;
    this.writeHead = l.journalBase + J_WGRANT + G_HEAD;
    this.activeTrans = l.journalBase + J_ACTIVE_TRANS;
    this.cil = l.journalBase + J_CIL;
    this.pcil = cpuAt(l, k.cpu) + CPU_CIL;
    this.pcilList = l.pcilListBase + k.cpu * l.files;
  }

  update(ino: number, flags: number): void {
    const i32 = this.i32;
    const k = this.k;
    const u = k.cfg.units;
    i32[k.ctr + C_TXNS]!++;
    this.mem.add(i32, this.activeTrans, 1);
    this.reserve(XFS_RESERVATION);
    this.mem.spend(u.handleStartNs);
    const at = inodeAt(k.layout, ino);
    k.inodeLock.acquire(at + I_LOCK);
    k.setTimesLocked(ino, flags);
    this.mem.spend(u.inodeDirtyNs);
    // xfs_log_commit_cil: the context cannot be pushed while a commit is inserting into it.
    this.ctx.acquireShared(this.ctxAt);
    const seq = this.mem.load(i32, this.cil + CIL_SEQ);
    let used = 0;
    if (this.perCpu) {
      // Whoever moves the inode's context mark owns the insertion; no global lock on this path.
      const old = this.mem.load(i32, at + I_CIL_CTX);
      if (old !== seq && this.mem.compareExchange(i32, at + I_CIL_CTX, old, seq) === old) {
        const n = i32[this.pcil + PCIL_COUNT]!;
        i32[this.pcilList + n] = ino;
        this.mem.store(i32, this.pcil + PCIL_COUNT, n + 1);
        this.mem.add(i32, this.pcil + PCIL_SPACE, XFS_ITEM_BYTES);
        used = XFS_ITEM_BYTES;
      }
    } else {
      this.hot.acquire(this.hotAt);
      this.mem.spend(u.hotLockNs);
      if (this.mem.load(i32, at + I_CIL_CTX) !== seq) {
        this.mem.store(i32, at + I_CIL_CTX, seq);
        const n = this.mem.load(i32, this.cil + CIL_COUNT);
        this.mem.store(i32, this.k.layout.bufListBase + n, ino);
        this.mem.store(i32, this.cil + CIL_COUNT, n + 1);
        this.mem.add(i32, this.cil + CIL_SPACE, XFS_ITEM_BYTES);
        used = XFS_ITEM_BYTES;
      }
      this.hot.release(this.hotAt);
    }
    this.ctx.releaseShared(this.ctxAt);
    k.inodeLock.release(at + I_LOCK);
    this.mem.spend(u.handleStopNs);
    this.ungrant(XFS_RESERVATION - used);
    this.mem.sub(i32, this.activeTrans, 1);
  }

  /** xlog_grant_head_check and xlog_grant_add_space on the reserve head, then on the write head; when the log is full, ask for a push and wait. */
  private reserve(bytes: number): void {
    const i32 = this.i32;
    const head = this.grant + G_HEAD;
    i32[this.grantStat + LS_ACQ]!++;
    for (;;) {
      const v = this.mem.load(i32, head);
      if (v + bytes > XFS_LOG_BYTES) {
        requestCommit(this.k);
        park(this.mem, i32, this.grant + G_WQ, () => this.mem.load(i32, head) + bytes > XFS_LOG_BYTES);
        continue;
      }
      if (this.casAdd(head, v, bytes)) break;
      i32[this.grantStat + LS_CONTENDED]!++;
    }
    this.casLoop(this.writeHead, bytes);
  }

  /** xlog_ungrant_log_space: both heads give the bytes back (xlog_grant_sub_space), and waiters for space are woken. */
  private ungrant(bytes: number): void {
    if (bytes === 0) return;
    this.casLoop(this.grant + G_HEAD, -bytes);
    this.casLoop(this.writeHead, -bytes);
    wake(this.mem, this.i32, this.grant + G_WQ);
  }

  /** One atomic64_cmpxchg of a loop: true when it won. */
  private casAdd(at: number, seen: number, delta: number): boolean {
    // Contended cmpxchg loops on one line lose to each other as test-and-set waiters do: the virtual target charges
    // that as a TTAS hand-off over the word (real threads ignore the hint and really retry).
    this.mem.lockAcquired(at, 'ttas', false, this.grantStat);
    const won = this.mem.compareExchange(this.i32, at, seen, seen + delta) === seen;
    this.mem.lockReleased(at, 'ttas', false, this.grantStat);
    return won;
  }

  /** A cmpxchg loop adding `delta` to the word at `at`. */
  private casLoop(at: number, delta: number): void {
    while (!this.casAdd(at, this.mem.load(this.i32, at), delta)) this.i32[this.grantStat + LS_CONTENDED]!++;
  }

  commitRequested(): boolean {
    return commitRequested(this.k);
  }

  /** xlog_cil_push: swap contexts under the write side of xc_ctx_lock, then write the items. */
  commit(): number {
    const i32 = this.i32;
    const l = this.k.layout;
    clearCommitRequest(this.k);
    this.ctx.acquire(this.ctxAt);
    const seq = this.mem.load(i32, this.cil + CIL_SEQ);
    const items: number[] = [];
    let space = 0;
    if (this.perCpu) {
      for (let c = 0; c < l.cpus; c++) {
        const pc = cpuAt(l, c) + CPU_CIL;
        const n = this.mem.load(i32, pc + PCIL_COUNT);
        const list = l.pcilListBase + c * l.files;
        for (let j = 0; j < n; j++) items.push(this.mem.load(i32, list + j));
        space += this.mem.load(i32, pc + PCIL_SPACE);
        this.mem.store(i32, pc + PCIL_COUNT, 0);
        this.mem.store(i32, pc + PCIL_SPACE, 0);
      }
    } else {
      const n = this.mem.load(i32, this.cil + CIL_COUNT);
      for (let j = 0; j < n; j++) items.push(this.mem.load(i32, l.bufListBase + j));
      space = this.mem.load(i32, this.cil + CIL_SPACE);
      this.mem.store(i32, this.cil + CIL_COUNT, 0);
      this.mem.store(i32, this.cil + CIL_SPACE, 0);
    }
    if (items.length > 0) this.mem.store(i32, this.cil + CIL_SEQ, seq + 1);
    this.ctx.release(this.ctxAt);
    if (items.length === 0) return 0;
    for (const ino of items) writeInodeRecord(this.k, ino, seq);
    finishCommit(this.k, seq, items.length);
    this.ungrant(space);
    return items.length;
  }
}

/** The CIL as a plugin, 2013 (one global list under xc_cil_lock) or 2021 (per-CPU lists); 2013 spinlocks were ticket locks. */
function xfsCilPlugin(perCpu: boolean, about: string): JournalPlugin {
  return {
    about,
    make: (k) => new XfsCil(k, perCpu),
    lock: 'ticket',
    faultPath: 'xfs',
    committer: true,
    locks: [{ name: 'xc_ctx_lock', slot: J_CTX }],
    init(i32, j) {
      // The CIL sequence starts at 1 so that 0 means "never logged" in inodes.
      ATOMICS.store(i32, j + J_CIL + CIL_SEQ, 1);
    },
    recover(i32, l) {
      // The CIL, per-CPU or global, is gone with every inode's place in it, and no reservation is held; the next context is a new one.
      for (let c = 0; c < l.cpus; c++) {
        ATOMICS.store(i32, cpuAt(l, c) + CPU_CIL + PCIL_COUNT, 0);
        ATOMICS.store(i32, cpuAt(l, c) + CPU_CIL + PCIL_SPACE, 0);
      }
      for (let ino = 0; ino < l.files; ino++) ATOMICS.store(i32, inodeAt(l, ino) + I_CIL_CTX, 0);
      const j = l.journalBase;
      ATOMICS.store(i32, j + J_GRANT + G_HEAD, 0);
      ATOMICS.store(i32, j + J_WGRANT + G_HEAD, 0);
      ATOMICS.store(i32, j + J_ACTIVE_TRANS, 0);
      ATOMICS.store(i32, j + J_CIL + CIL_COUNT, 0);
      ATOMICS.store(i32, j + J_CIL + CIL_SPACE, 0);
      ATOMICS.store(i32, j + J_CIL + CIL_SEQ, ATOMICS.load(i32, j + J_CIL + CIL_SEQ) + 1);
    },
    invariants(i32, j) {
      const bad: string[] = [];
      const grant = ATOMICS.load(i32, j + J_GRANT + G_HEAD);
      if (grant !== 0) bad.push(`grant head holds ${grant} bytes after the final push`);
      const write = ATOMICS.load(i32, j + J_WGRANT + G_HEAD);
      if (write !== 0) bad.push(`write grant head holds ${write} bytes after the final push`);
      const active = ATOMICS.load(i32, j + J_ACTIVE_TRANS);
      if (active !== 0) bad.push(`m_active_trans is ${active} after every transaction ended`);
      return bad;
    },
    diagnose(i32, j) {
      return (
        `CIL sequence ${ATOMICS.load(i32, j + J_CIL + CIL_SEQ)}, CIL items ${ATOMICS.load(i32, j + J_CIL + CIL_COUNT)}, ` +
        `grant head ${ATOMICS.load(i32, j + J_GRANT + G_HEAD)}, write grant head ${ATOMICS.load(i32, j + J_WGRANT + G_HEAD)}, ` +
        `m_active_trans ${ATOMICS.load(i32, j + J_ACTIVE_TRANS)}, committed ${ATOMICS.load(i32, j + J_COMMIT + JC_COMMITTED)}`
      );
    },
  };
}

export const XFS_CIL = xfsCilPlugin(
  false,
  'XFS 2013: grant-head CAS, ILOCK, insertion into one global CIL under xc_cil_lock',
);
export const XFS_CIL_PERCPU = xfsCilPlugin(true, 'XFS 2021: per-CPU CIL lists, no global lock on the commit path');
