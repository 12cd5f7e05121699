/**
 * The on-disk side shared by every journal: a commit copies each logged
 * inode's in-memory state (read consistently through its seqcount) into the
 * inode's disk copy and appends a record to the log ring.
 */
import type { JournalHost } from './journal.js';
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
import { wake } from '../locks/locks.js';
import { readSeqBegin, readSeqRetry } from '../locks/seqcount.js';

export function writeInodeRecord(k: JournalHost, ino: number, tid: number): void {
  const i32 = k.i32;
  const at = inodeAt(k.layout, ino);
  let iversion: number;
  let mtime: number;
  let ctime: number;
  for (;;) {
    const s = readSeqBegin(k.mem, i32, at + I_SEQ);
    iversion = k.mem.load(i32, at + I_IVERSION) >>> 1;
    mtime = k.mem.load(i32, at + I_MTIME);
    ctime = k.mem.load(i32, at + I_CTIME);
    if (!readSeqRetry(k.mem, i32, at + I_SEQ, s)) break;
  }
  k.mem.store(i32, at + I_DISK_IVERSION, iversion);
  k.mem.store(i32, at + I_DISK_MTIME, mtime);
  k.mem.store(i32, at + I_DISK_CTIME, ctime);
  k.mem.store(i32, at + I_DISK_TID, tid);
  const jc = k.layout.journalBase + J_COMMIT;
  // Only the committer (or the final sync, after every thread stopped) appends, so a plain slot claim is safe.
  const n = k.mem.add(i32, jc + JC_RECORDS, 1);
  const rec = k.layout.logBase + (n % LOG_CAPACITY) * LOG_RECORD_SLOTS;
  k.mem.store(i32, rec, tid);
  k.mem.store(i32, rec + 1, ino);
  k.mem.store(i32, rec + 2, iversion);
  k.mem.store(i32, rec + 3, mtime);
  k.mem.spend(k.cfg.units.commitPerItemNs);
}

/** A writer that cannot go on (transaction full, log space short) asks the committer to commit now. */
export function requestCommit(k: JournalHost): void {
  const jc = k.layout.journalBase + J_COMMIT;
  // Publish the request before waking, so a committer that wakes sees it.
  k.mem.store(k.i32, jc + JC_REQUEST, 1);
  wake(k.mem, k.i32, jc + JC_WQ);
}

export function commitRequested(k: JournalHost): boolean {
  return k.mem.load(k.i32, k.layout.journalBase + J_COMMIT + JC_REQUEST) !== 0;
}

/** The committer takes the request as it starts a commit; a request made after this asks for the next one. */
export function clearCommitRequest(k: JournalHost): void {
  k.mem.store(k.i32, k.layout.journalBase + J_COMMIT + JC_REQUEST, 0);
}

/** Mark transaction `tid` committed: the sequence only moves forward. */
export function finishCommit(k: JournalHost, tid: number, items: number): void {
  const jc = k.layout.journalBase + J_COMMIT;
  k.mem.spend(k.cfg.units.commitNs);
  k.mem.store(k.i32, jc + JC_COMMITTED, tid);
  k.i32[k.ctr + C_COMMITS]!++;
  k.i32[k.ctr + C_COMMIT_ITEMS]! += items;
}
