/**
 * An inode's timestamps and i_version as the kernel writes and reads them:
 * the seqcount-guarded update (inode_set_ctime_current, inode_inc_iversion)
 * and getattr's consistent snapshot. Functions over a host, so the Kernel
 * keeps only the fault path and its callers in one file.
 */
import type { ModelConfig } from './config.js';
import {
  CTL_MG_FLOOR,
  C_IVERSION_BUMPS,
  C_POLLS,
  C_SEQ_RETRIES,
  C_TIME_UPDATES,
  IF_CTIME_QUERIED,
  IVERSION_INCREMENT,
  IVERSION_QUERIED,
  I_CTIME,
  I_FLAGS,
  I_IVERSION,
  I_MTIME,
  I_SEQ,
  inodeAt,
  type Layout,
} from './layout.js';
import { readSeqBegin, readSeqRetry, writeSeqBegin, writeSeqEnd } from './locks/seqcount.js';
import type { Memory } from './memory.js';
import type { Strategy, StrategyKernel } from './strategies/index.js';
import { S_FINE, S_MTIME, S_CTIME, S_TIMES, S_VERSION } from './timeflags.js';
import type { Attr } from './attr.js';

/** What the timestamp code needs of the Kernel that calls it. */
export interface TimesHost extends StrategyKernel {
  readonly i32: Int32Array;
  readonly mem: Memory;
  readonly layout: Layout;
  readonly cfg: ModelConfig;
  /** This CPU's counters line. */
  readonly ctr: number;
  readonly strategy: Strategy;
  /** When the last getattr began reading the attributes (model µs). */
  lastGetattrUs: number;
  currentTime(): number;
  fineNow(): number;
  truncate(us: number): number;
}

/** ktime_get_real_ts64_mg: a fine-grained stamp later than `after`, raising the global floor to it. */
function fineStamp(k: TimesHost, after: number): number {
  const t = Math.max(k.truncate(k.fineNow()), after + 1);
  for (;;) {
    // The floor only moves forward; a racing CPU that raised it past t leaves it there.
    const floor = k.mem.load(k.i32, CTL_MG_FLOOR);
    if (floor >= t || k.mem.compareExchange(k.i32, CTL_MG_FLOOR, floor, t) === floor) return t;
  }
}

/** Change the in-memory inode by setTimes `flags`. Caller holds the inode lock, which serialises seqcount writers. */
export function setInodeTimes(k: TimesHost, ino: number, flags: number): void {
  if (flags === 0) return;
  const i32 = k.i32;
  const at = inodeAt(k.layout, ino);
  writeSeqBegin(k.mem, i32, at + I_SEQ);
  if (flags & S_TIMES) {
    const old = k.mem.load(i32, at + I_CTIME);
    // A fine-grained stamp must still move forward even inside one microsecond; a coarse one never goes back.
    const t = flags & S_FINE ? fineStamp(k, old) : Math.max(k.currentTime(), old);
    if (flags & S_MTIME) k.mem.store(i32, at + I_MTIME, t);
    if (flags & S_CTIME) k.mem.store(i32, at + I_CTIME, t);
    // The new ctime has not been seen by anyone yet.
    if (k.mem.load(i32, at + I_FLAGS) & IF_CTIME_QUERIED) k.mem.and(i32, at + I_FLAGS, ~IF_CTIME_QUERIED);
    i32[k.ctr + C_TIME_UPDATES]!++;
  }
  if (flags & S_VERSION) {
    // getattr sets the queried bit with an atomic OR outside this lock, so the increment must be a CAS.
    for (;;) {
      const v = k.mem.load(i32, at + I_IVERSION);
      const next = (v & ~IVERSION_QUERIED) + IVERSION_INCREMENT;
      if (k.mem.compareExchange(i32, at + I_IVERSION, v, next) === v) break;
    }
    i32[k.ctr + C_IVERSION_BUMPS]!++;
  }
  writeSeqEnd(k.mem, i32, at + I_SEQ);
}

/**
 * getattr as an NFS server runs it for a client: a consistent snapshot of
 * i_version and the timestamps through the seqcount, marking both as
 * queried so the strategies that only pay when someone looks know it.
 */
export function readAttrs(k: TimesHost, ino: number, out: Attr): Attr {
  const i32 = k.i32;
  const at = inodeAt(k.layout, ino);
  k.mem.spend(k.cfg.units.getattrNs);
  k.strategy.getattr(k, ino);
  // A store made before this instant happened before the attributes below were read.
  k.lastGetattrUs = k.fineNow();
  for (;;) {
    const s = readSeqBegin(k.mem, i32, at + I_SEQ);
    // Marking inside the read section makes mark-and-read atomic against writers (as inode_query_iversion's
    // cmpxchg is): a change in between moves the seqcount, and the retry marks and reads again.
    k.markQueried(ino);
    out.iversion = k.mem.load(i32, at + I_IVERSION) >>> 1;
    out.mtime = k.mem.load(i32, at + I_MTIME);
    out.ctime = k.mem.load(i32, at + I_CTIME);
    if (!readSeqRetry(k.mem, i32, at + I_SEQ, s)) break;
    i32[k.ctr + C_SEQ_RETRIES]!++;
  }
  i32[k.ctr + C_POLLS]!++;
  return out;
}
