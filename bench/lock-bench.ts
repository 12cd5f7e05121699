/**
 * Micro-benchmark 1: every lock kind uncontended (one acquire + release pair
 * per operation, batched), and a seqcount read, single-threaded.
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import {
  CPU_SLOTS,
  I_CTIME,
  I_IVERSION,
  I_LOCK,
  I_MTIME,
  I_SEQ,
  LC_HOT,
  inodeAt,
  lockStatAt,
  makeLayout,
} from '../src/model/layout.js';
import { makeLock, tuningFor, type LockContext } from '../src/model/locks/locks.js';
import { readSeqBegin, readSeqRetry } from '../src/model/locks/seqcount.js';
import { ATOMICS } from '../src/model/memory.js';
import { nowNs, perOp } from './timing.js';

/** Acquire+release pairs (or seqcount reads) per tinybench iteration. */
const LOCK_BATCH = 1024;

/** What the seqcount reads read, so the loop is not dead code (micro.ts prints it). */
let lockSink = 0;
export const lockBenchSink = (): number => lockSink;

export function lockBench(): Bench {
  // Five inodes: each kind gets its own inode's lock line, so no kind sees another's state word.
  const layout = makeLayout({ cpus: 1, writers: 1, files: 5, pages: 1 });
  const sab = new SharedArrayBuffer(layout.bytes);
  const i32 = new Int32Array(sab);
  const ctx: LockContext = {
    i32,
    mem: ATOMICS,
    tuning: tuningFor(1, os.availableParallelism()),
    cpu: 0,
    cpuBase: layout.cpuBase,
    cpuSlots: CPU_SLOTS,
  };
  const stat = lockStatAt(layout, 0, LC_HOT);
  const ttas = makeLock('ttas', ctx, stat);
  const ticket = makeLock('ticket', ctx, stat);
  const mcs = makeLock('mcs', ctx, stat);
  const rw = makeLock('rw', ctx, stat);
  const mutex = makeLock('mutex', ctx, stat);
  const bTtas = inodeAt(layout, 0) + I_LOCK;
  const bTicket = inodeAt(layout, 1) + I_LOCK;
  const bMcs = inodeAt(layout, 2) + I_LOCK;
  const bRw = inodeAt(layout, 3) + I_LOCK;
  const bMutex = inodeAt(layout, 4) + I_LOCK;
  const ino = inodeAt(layout, 0);
  const seq = ino + I_SEQ;
  Atomics.store(i32, ino + I_IVERSION, 42 << 1);
  Atomics.store(i32, ino + I_MTIME, 1000);
  Atomics.store(i32, ino + I_CTIME, 1000);

  const bench = new Bench({
    name: 'locks, uncontended',
    time: 400,
    warmupTime: 150,
    iterations: 64,
    warmupIterations: 16,
  });
  // One function literal per kind: each loop's call site stays monomorphic.
  bench.add('lock ttas   acquire+release', () => {
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      ttas.acquire(bTtas);
      ttas.release(bTtas);
    }
    return perOp(Number(nowNs() - t0), LOCK_BATCH);
  });
  bench.add('lock ticket acquire+release', () => {
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      ticket.acquire(bTicket);
      ticket.release(bTicket);
    }
    return perOp(Number(nowNs() - t0), LOCK_BATCH);
  });
  bench.add('lock mcs    acquire+release', () => {
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      mcs.acquire(bMcs);
      mcs.release(bMcs);
    }
    return perOp(Number(nowNs() - t0), LOCK_BATCH);
  });
  bench.add('lock rw     exclusive', () => {
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      rw.acquire(bRw);
      rw.release(bRw);
    }
    return perOp(Number(nowNs() - t0), LOCK_BATCH);
  });
  bench.add('lock rw     shared', () => {
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      rw.acquireShared(bRw);
      rw.releaseShared(bRw);
    }
    return perOp(Number(nowNs() - t0), LOCK_BATCH);
  });
  bench.add('lock mutex  acquire+release', () => {
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      mutex.acquire(bMutex);
      mutex.release(bMutex);
    }
    return perOp(Number(nowNs() - t0), LOCK_BATCH);
  });
  bench.add('seqcount read (getattr body)', () => {
    let acc = 0;
    const t0 = nowNs();
    for (let i = 0; i < LOCK_BATCH; i++) {
      for (;;) {
        const s = readSeqBegin(ATOMICS, i32, seq);
        const iv = Atomics.load(i32, ino + I_IVERSION) >>> 1;
        const mt = Atomics.load(i32, ino + I_MTIME);
        const ct = Atomics.load(i32, ino + I_CTIME);
        if (!readSeqRetry(ATOMICS, i32, seq, s)) {
          acc += iv + mt + ct;
          break;
        }
      }
    }
    const ns = Number(nowNs() - t0);
    lockSink = (lockSink + acc) | 0;
    return perOp(ns, LOCK_BATCH);
  });
  return bench;
}
