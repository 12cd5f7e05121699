/**
 * Whole-state operations the coordinator runs while no worker touches the
 * buffer: initialisation, the final sync after a run, the invariant check,
 * and counter snapshots.
 */
import type { ModelConfig } from './config.js';
import { Kernel } from './kernel.js';
import {
  B_LOCK,
  BUFFER_SLOTS,
  COUNTER_NAMES,
  COUNTER_SLOTS,
  CPU_COUNTERS,
  CTL_PHASE,
  I_CTIME,
  I_DISK_CTIME,
  I_DISK_IVERSION,
  I_DISK_MTIME,
  I_IVERSION,
  I_LOCK,
  I_MTIME,
  I_SEQ,
  J_COMMIT,
  J_HOT,
  JC_RECORDS,
  LOCK_CLASSES,
  LOG_CAPACITY,
  LOG_RECORD_SLOTS,
  P_DATA,
  P_FLAGS,
  P_WBDATA,
  PG_DIRTY,
  PG_LOCKED,
  TAG_PAGES_PER_WORD,
  dirtyTagAt,
  PHASE_INIT,
  cpuAt,
  inodeAt,
  lockStatAt,
  pageAt,
  type CounterName,
  type Layout,
  type LockClass,
} from './layout.js';
import { JOURNALS } from './journals/index.js';
import { lockIsFree } from './locks/locks.js';
import { remapsEveryPass } from './workloads.js';

export function initState(sab: SharedArrayBuffer, cfg: ModelConfig): void {
  const i32 = new Int32Array(sab);
  const j = cfg.layout.journalBase;
  Atomics.store(i32, CTL_PHASE, PHASE_INIT);
  JOURNALS[cfg.journal].init(i32, j);
}

/** sync(2) after every worker stopped: write back all dirty pages, flush lazy timestamps, commit the journal. */
export function finalSync(sab: SharedArrayBuffer, cfg: ModelConfig, fineClock?: () => number): void {
  const k = new Kernel(sab, cfg, cfg.layout.cpus - 1, fineClock);
  const now = k.coarseNow();
  for (let ino = 0; ino < cfg.layout.files; ino++) {
    k.writebackInode(ino);
    k.flushDirtyTime(ino, now, true);
  }
  k.journal.commit();
}

export type Counters = Record<CounterName, number>;
export type LockStats = Record<LockClass, { acq: number; contended: number; spins: number; parks: number }>;

export interface Snapshot {
  readonly total: Counters;
  readonly perCpu: Counters[];
  readonly locks: LockStats;
}

export function snapshot(i32: Int32Array, cfg: ModelConfig): Snapshot {
  const l = cfg.layout;
  const perCpu: Counters[] = [];
  const total = Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0])) as Counters;
  for (let c = 0; c < l.cpus; c++) {
    const base = cpuAt(l, c) + CPU_COUNTERS;
    const row = {} as Counters;
    COUNTER_NAMES.forEach((name) => {
      // Each counter has one writer (its CPU); an atomic load gives a value it really held.
      row[name] = Atomics.load(i32, base + COUNTER_SLOTS[name]);
      total[name] += row[name];
    });
    perCpu.push(row);
  }
  const locks = {} as LockStats;
  LOCK_CLASSES.forEach((cls, ci) => {
    const s = { acq: 0, contended: 0, spins: 0, parks: 0 };
    for (let c = 0; c < l.cpus; c++) {
      const at = lockStatAt(l, c, ci);
      s.acq += Atomics.load(i32, at);
      s.contended += Atomics.load(i32, at + 1);
      s.spins += Atomics.load(i32, at + 2);
      s.parks += Atomics.load(i32, at + 3);
    }
    locks[cls] = s;
  });
  return { total, perCpu, locks };
}

export function diffSnapshots(a: Snapshot, b: Snapshot): Snapshot {
  const sub = (x: Counters, y: Counters): Counters =>
    Object.fromEntries(COUNTER_NAMES.map((n) => [n, y[n] - x[n]])) as Counters;
  const locks = {} as LockStats;
  for (const cls of LOCK_CLASSES) {
    const x = a.locks[cls];
    const y = b.locks[cls];
    locks[cls] = {
      acq: y.acq - x.acq,
      contended: y.contended - x.contended,
      spins: y.spins - x.spins,
      parks: y.parks - x.parks,
    };
  }
  return { total: sub(a.total, b.total), perCpu: b.perCpu.map((row, i) => sub(a.perCpu[i]!, row)), locks };
}

/**
 * The kernel target's counters must balance: the addon counts one fault per
 * store (one iteration per page, as page_fault3 does) and a pass per
 * pages stores.
 */
export function checkKernelCounters(i32: Int32Array, cfg: ModelConfig): string[] {
  const bad: string[] = [];
  const snap = snapshot(i32, cfg);
  for (let w = 0; w < cfg.writers; w++) {
    const c = snap.perCpu[w]!;
    if (c.faults !== c.stores) bad.push(`writer ${w}: ${c.faults} faults counted for ${c.stores} stores`);
    const partial = c.stores - c.passes * cfg.filePages;
    if (partial < 0 || partial >= cfg.filePages)
      bad.push(`writer ${w}: ${c.stores} stores do not fit ${c.passes} passes of ${cfg.filePages} pages`);
  }
  return bad;
}

/**
 * No store lost: after sync every page's written-back copy holds its last store, no page is left locked or
 * dirty (nor its dirty tag set), and the stores the pages hold add up to those counted.
 */
function checkPages(i32: Int32Array, l: Layout, snap: Snapshot): string[] {
  const bad: string[] = [];
  // Every CPU has stopped and this thread has synchronised with them (the coordinator has awaited every
  // worker's task, whose reply message orders the worker's stores before these reads, and ran the sync
  // itself; a virtual run is one thread), so the page words are read plainly: an Atomics.load on shared
  // memory costs several plain loads, and this reads four words of every page (0.66 M pages at 160 CPUs).
  let stored = 0;
  let lost = 0;
  for (let f = 0; f < l.files; f++) {
    for (let p = 0; p < l.pages; p++) {
      const pg = pageAt(l, f, p);
      const data = i32[pg + P_DATA]!;
      stored += data;
      if (i32[pg + P_WBDATA] !== data) lost++;
      const flags = i32[pg + P_FLAGS]!;
      if (flags & PG_LOCKED) bad.push(`page ${f}:${p} left locked`);
      if (flags & PG_DIRTY) bad.push(`page ${f}:${p} still dirty after sync`);
      const tagged = (i32[dirtyTagAt(l, f, p)]! >>> (p % TAG_PAGES_PER_WORD)) & 1;
      if (tagged !== (flags & PG_DIRTY ? 1 : 0))
        bad.push(`page ${f}:${p}: dirty tag ${tagged} disagrees with its PG_DIRTY`);
    }
  }
  if (lost > 0) bad.push(`${lost} pages lost a store: written-back copy differs from the page after sync`);
  if (stored !== snap.total.stores) bad.push(`stores counted ${snap.total.stores} but pages hold ${stored}`);
  return bad;
}

/**
 * Every store either found a writable PTE or faulted; a store that raced with writeback faulted once more.
 * In page_fault3 every pass starts on a fresh mapping, so every store faults exactly once (plus those refaults);
 * a mapping that stays (rewrite) faults at most that often.
 */
function checkFaults(cfg: ModelConfig, snap: Snapshot): string[] {
  const faults = snap.total.faults;
  const most = snap.total.stores + snap.total.refaults;
  if (remapsEveryPass(cfg.workload) ? faults !== most : faults > most) {
    return [`faults ${faults} do not balance stores ${snap.total.stores} + refaults ${snap.total.refaults}`];
  }
  return [];
}

/** Committed sequence numbers never go backwards in the log, and neither does an inode's i_version. */
function checkLog(i32: Int32Array, l: Layout): string[] {
  const bad: string[] = [];
  const records = Atomics.load(i32, l.journalBase + J_COMMIT + JC_RECORDS);
  const first = Math.max(0, records - LOG_CAPACITY);
  let lastTid = -1;
  const lastIversion = new Map<number, number>();
  for (let n = first; n < records; n++) {
    const rec = l.logBase + (n % LOG_CAPACITY) * LOG_RECORD_SLOTS;
    const tid = Atomics.load(i32, rec);
    const ino = Atomics.load(i32, rec + 1);
    const iv = Atomics.load(i32, rec + 2);
    if (tid < lastTid) bad.push(`log record ${n}: tid ${tid} after ${lastTid}`);
    lastTid = tid;
    if ((lastIversion.get(ino) ?? -1) > iv) bad.push(`log record ${n}: i_version of inode ${ino} went back to ${iv}`);
    lastIversion.set(ino, iv);
  }
  return bad;
}

/**
 * No inode's seqcount is left odd, and (with a journal that commits) every change reached the journal: each
 * inode's committed copy equals its in-memory state.
 */
function checkInodes(i32: Int32Array, cfg: ModelConfig): string[] {
  const l = cfg.layout;
  const bad: string[] = [];
  for (let ino = 0; ino < l.files; ino++) {
    const at = inodeAt(l, ino);
    if (Atomics.load(i32, at + I_SEQ) & 1) bad.push(`inode ${ino}: seqcount left odd`);
    if (!JOURNALS[cfg.journal].committer) continue;
    const mem = [
      Atomics.load(i32, at + I_IVERSION) >>> 1,
      Atomics.load(i32, at + I_MTIME),
      Atomics.load(i32, at + I_CTIME),
    ];
    const disk = [
      Atomics.load(i32, at + I_DISK_IVERSION),
      Atomics.load(i32, at + I_DISK_MTIME),
      Atomics.load(i32, at + I_DISK_CTIME),
    ];
    if (mem.some((v, i) => v !== disk[i])) {
      bad.push(
        `inode ${ino}: committed (iversion, mtime, ctime) ${disk.join(',')} differs from memory ${mem.join(',')}`,
      );
    }
  }
  return bad;
}

/** No lock left held: the journal's hot lock and its own, every inode's and every buffer's. */
function checkLocksFree(i32: Int32Array, cfg: ModelConfig): string[] {
  const l = cfg.layout;
  const j = l.journalBase;
  const locks: [string, number][] = [
    ['journal hot lock', j + J_HOT],
    ...JOURNALS[cfg.journal].locks.map(({ name, slot }): [string, number] => [name, j + slot]),
  ];
  for (let ino = 0; ino < l.files; ino++) locks.push([`inode ${ino} lock`, inodeAt(l, ino) + I_LOCK]);
  for (let b = 0; b < l.buffers; b++) locks.push([`buffer ${b} lock`, l.bufferBase + b * BUFFER_SLOTS + B_LOCK]);
  return locks.filter(([, at]) => !lockIsFree(i32, at)).map(([name]) => `${name} left held`);
}

/**
 * The invariants every run must keep, checked after finalSync. Returns one
 * line per violation (empty when all hold).
 */
export function checkInvariants(sab: SharedArrayBuffer, cfg: ModelConfig): string[] {
  const i32 = new Int32Array(sab);
  const l = cfg.layout;
  const snap = snapshot(i32, cfg);
  return [
    ...checkPages(i32, l, snap),
    ...checkFaults(cfg, snap),
    // The journal is quiescent and consistent.
    ...JOURNALS[cfg.journal].invariants(i32, l.journalBase),
    ...checkLog(i32, l),
    ...checkInodes(i32, cfg),
    ...checkLocksFree(i32, cfg),
  ];
}
