/**
 * The on-disk side shared by every journal: a commit copies each logged
 * inode's in-memory state (read consistently through its seqcount) into the
 * inode's disk copy and appends a record to the log ring.
 */
import type { Kernel } from '../kernel.js';
import {
  I_CTIME,
  I_DISK_CTIME,
  I_DISK_IVERSION,
  I_DISK_MTIME,
  I_DISK_TID,
  I_IVERSION,
  I_MTIME,
  I_SEQ,
  J_COMMIT,
  JC_COMMITTED,
  JC_REQUEST,
  JC_WQ,
  JC_RECORDS,
  LOG_CAPACITY,
  LOG_RECORD_SLOTS,
  C_COMMITS,
  C_COMMIT_ITEMS,
  inodeAt,
} from '../layout.js';
import { readSeqBegin, readSeqRetry, wake } from '../locks/locks.js';
import { spend } from '../work.js';

export function writeInodeRecord(k: Kernel, ino: number, tid: number): void {
  const i32 = k.i32;
  const at = inodeAt(k.layout, ino);
  let iversion: number;
  let mtime: number;
  let ctime: number;
  for (;;) {
    const s = readSeqBegin(i32, at + I_SEQ);
    iversion = Atomics.load(i32, at + I_IVERSION) >>> 1;
    mtime = Atomics.load(i32, at + I_MTIME);
    ctime = Atomics.load(i32, at + I_CTIME);
    if (!readSeqRetry(i32, at + I_SEQ, s)) break;
  }
  Atomics.store(i32, at + I_DISK_IVERSION, iversion);
  Atomics.store(i32, at + I_DISK_MTIME, mtime);
  Atomics.store(i32, at + I_DISK_CTIME, ctime);
  Atomics.store(i32, at + I_DISK_TID, tid);
  const jc = k.layout.journalBase + J_COMMIT;
  // Only the committer (or the final sync, after every thread stopped) appends, so a plain slot claim is safe.
  const n = Atomics.add(i32, jc + JC_RECORDS, 1);
  const rec = k.layout.logBase + (n % LOG_CAPACITY) * LOG_RECORD_SLOTS;
  Atomics.store(i32, rec, tid);
  Atomics.store(i32, rec + 1, ino);
  Atomics.store(i32, rec + 2, iversion);
  Atomics.store(i32, rec + 3, mtime);
  spend(k.cfg.units.commitPerItemNs);
}

/** A writer that cannot go on (transaction full, log space short) asks the committer to commit now. */
export function requestCommit(k: Kernel): void {
  const jc = k.layout.journalBase + J_COMMIT;
  // Publish the request before waking, so a committer that wakes sees it.
  Atomics.store(k.i32, jc + JC_REQUEST, 1);
  wake(k.i32, jc + JC_WQ);
}

export function commitRequested(k: Kernel): boolean {
  return Atomics.load(k.i32, k.layout.journalBase + J_COMMIT + JC_REQUEST) !== 0;
}

/** The committer takes the request as it starts a commit; a request made after this asks for the next one. */
export function clearCommitRequest(k: Kernel): void {
  Atomics.store(k.i32, k.layout.journalBase + J_COMMIT + JC_REQUEST, 0);
}

/** Mark transaction `tid` committed: the sequence only moves forward. */
export function finishCommit(k: Kernel, tid: number, items: number): void {
  const jc = k.layout.journalBase + J_COMMIT;
  spend(k.cfg.units.commitNs);
  Atomics.store(k.i32, jc + JC_COMMITTED, tid);
  k.i32[k.ctr + C_COMMITS]!++;
  k.i32[k.ctr + C_COMMIT_ITEMS]! += items;
}
