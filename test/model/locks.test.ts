/**
 * Multi-threaded lock tests. Each test starts real worker threads
 * (test/fixtures/lock-worker.mjs, which runs the compiled dist/src/model/locks/locks.js),
 * releases them together through an Atomics barrier and, once every worker
 * has exited, checks the shared buffer: no lost updates, never two holders,
 * lock free at the end, statistics that add up. More workers than cores, so
 * the park/wake paths run as well as the spinning ones.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BYTES_PER_SLOT, CPU_LOCKSTATS, CPU_SLOTS, LINE, L_WQ, WQ_WAITERS } from '../../src/model/layout.js';
import { LOCK_KINDS, type LockKind } from '../../src/model/locks/kinds.js';
import { lockIsFree } from '../../src/model/locks/locks.js';
import { lockStatsAt, type LockStats } from '../helpers/lock-stats.js';

type Mode = 'exclusive' | 'shared' | 'mixed' | 'seqcount';

/** Slot offsets of the test's shared buffer; passed to the workers as workerData.off. */
const OFF = {
  go: 0 * LINE,
  ready: 1 * LINE,
  lock: 2 * LINE,
  counter: 3 * LINE,
  // occupancy (test instrumentation, not modelled state)
  inside: 4 * LINE + 0,
  writersIn: 4 * LINE + 1,
  readersIn: 4 * LINE + 2,
  maxInside: 5 * LINE + 0,
  maxWriters: 5 * LINE + 1,
  maxReaders: 5 * LINE + 2,
  writerViolations: 5 * LINE + 3,
  readerViolations: 5 * LINE + 4,
  ownerViolations: 5 * LINE + 5,
  // seqcount: count and the two fields it guards share a line, as in the inode
  seq: 6 * LINE + 0,
  seqA: 6 * LINE + 1,
  seqB: 6 * LINE + 2,
  writersDone: 7 * LINE + 0,
  seqReads: 7 * LINE + 1,
  seqRetries: 7 * LINE + 2,
  seqTorn: 7 * LINE + 3,
  seqRawTorn: 7 * LINE + 4,
  seqBackwards: 7 * LINE + 5,
  cpuBase: 8 * LINE,
} as const;

const WORKER_URL = new URL('../fixtures/lock-worker.mjs', import.meta.url);
const DIST_LOCKS = fileURLToPath(new URL('../../dist/src/model/locks/locks.js', import.meta.url));
const CORES = availableParallelism();
// Sizes; the environment overrides are for soak runs (e.g. LOCK_TEST_ITERATIONS=100000).
const ITERATIONS = Number(process.env.LOCK_TEST_ITERATIONS ?? 3000);
/** Work-loop iterations (~1 ns each) inside each critical section and between two of them. */
const CS_WORK = Number(process.env.LOCK_TEST_CS ?? 300);
const GAP_WORK = Number(process.env.LOCK_TEST_GAP ?? 100);
const TIMEOUT = { timeout: 30_000 }; // a safety net only; nothing waits on time

interface RunSpec {
  readonly kind: LockKind;
  readonly mode: Mode;
  readonly workers: number;
  readonly iterations: number;
  /** Workers 0..writers-1 write in 'mixed' and 'seqcount' mode. */
  readonly writers?: number;
}

interface RunResult {
  readonly i32: Int32Array;
  readonly ms: number;
  readonly perThread: LockStats[];
  readonly total: LockStats;
}

/** Workers not yet exited; afterEach terminates any a timed-out test left behind. */
const live = new Set<Worker>();

const at = (i32: Int32Array, slot: number): number => Atomics.load(i32, slot);

/** LOCK_TEST_VERBOSE=1 prints each run's timing and statistics. */
function report(label: string, r: RunResult): void {
  if (!process.env.LOCK_TEST_VERBOSE) return;
  const { i32, total } = r;
  const seq =
    at(i32, OFF.seqReads) > 0
      ? ` reads=${at(i32, OFF.seqReads)} retries=${at(i32, OFF.seqRetries)} rawTorn=${at(i32, OFF.seqRawTorn)}`
      : '';
  console.log(
    `${label}: ${r.ms.toFixed(0)} ms acq=${total.acq} contended=${total.contended} spins=${total.spins} ` +
      `parks=${total.parks} maxReaders=${at(i32, OFF.maxReaders)}${seq}`,
  );
}

/** Wait, without blocking the event loop, until `slot` reaches `target` (or `aborted()` says stop). */
async function waitAtLeast(i32: Int32Array, slot: number, target: number, aborted: () => boolean): Promise<void> {
  for (;;) {
    const v = Atomics.load(i32, slot);
    if (v >= target || aborted()) return;
    const w = Atomics.waitAsync(i32, slot, v);
    if (w.async) await w.value;
  }
}

async function runWorkers(spec: RunSpec): Promise<RunResult> {
  const { kind, mode, workers, iterations } = spec;
  const writers = spec.writers ?? 0;
  const slots = OFF.cpuBase + workers * CPU_SLOTS;
  const sab = new SharedArrayBuffer(slots * BYTES_PER_SLOT);
  const i32 = new Int32Array(sab);

  const threads: Worker[] = [];
  const exits: Promise<void>[] = [];
  let failed = false;
  for (let cpu = 0; cpu < workers; cpu++) {
    const w = new Worker(WORKER_URL, {
      workerData: {
        sab,
        kind,
        cpu,
        iterations,
        mode,
        writer: cpu < writers,
        writers,
        threads: workers,
        cores: CORES,
        csWork: CS_WORK,
        gapWork: GAP_WORK,
        cpuSlots: CPU_SLOTS,
        statOffset: CPU_LOCKSTATS,
        off: OFF,
      },
    });
    threads.push(w);
    live.add(w);
    w.once('exit', () => live.delete(w));
    exits.push(
      new Promise<void>((resolve, reject) => {
        w.once('error', (err) => {
          failed = true;
          reject(err);
        });
        w.once('exit', (code) => {
          if (code === 0) resolve();
          else {
            failed = true;
            reject(new Error(`lock worker ${cpu} exited with code ${code}`));
          }
        });
      }),
    );
  }
  const allExited = Promise.all(exits);
  try {
    // Barrier: every worker has started and is about to block on `go`; then release them together.
    await Promise.race([
      waitAtLeast(i32, OFF.ready, workers, () => failed),
      allExited.then(() => {
        throw new Error('lock workers exited before the start barrier');
      }),
    ]);
    if (failed) await allExited; // surfaces the worker's error
    const t0 = performance.now();
    Atomics.store(i32, OFF.go, 1);
    Atomics.notify(i32, OFF.go);
    await allExited;
    const ms = performance.now() - t0;

    const perThread: LockStats[] = [];
    for (let cpu = 0; cpu < workers; cpu++) {
      const s = OFF.cpuBase + cpu * CPU_SLOTS + CPU_LOCKSTATS;
      perThread.push(lockStatsAt(i32, s));
    }
    const total = perThread.reduce<LockStats>(
      (a, b) => ({
        acq: a.acq + b.acq,
        contended: a.contended + b.contended,
        spins: a.spins + b.spins,
        parks: a.parks + b.parks,
      }),
      { acq: 0, contended: 0, spins: 0, parks: 0 },
    );
    const result = { i32, ms, perThread, total };
    report(`${kind}/${mode}/${workers}`, result);
    return result;
  } catch (err) {
    failed = true;
    Atomics.notify(i32, OFF.ready); // end waitAtLeast's pending waitAsync
    await Promise.allSettled(threads.map((w) => w.terminate()));
    throw err;
  }
}

/** Checks shared by every run with writers: no write lost, one writer at a time, nobody left inside, the lock free, every acquisition counted. */
function expectWritesKept(r: RunResult, writes: number, acquisitions: number): void {
  const { i32 } = r;
  expect(at(i32, OFF.counter)).toBe(writes);
  expect(at(i32, OFF.maxWriters)).toBe(1);
  expect(at(i32, OFF.writerViolations)).toBe(0);
  expect(at(i32, OFF.ownerViolations)).toBe(0);
  expect(at(i32, OFF.inside)).toBe(0);
  expect(lockIsFree(i32, OFF.lock)).toBe(true);
  expect(at(i32, OFF.lock + L_WQ + WQ_WAITERS)).toBe(0); // every parked waiter unregistered
  expect(r.total.acq).toBe(acquisitions);
}

/** Checks shared by every exclusive run: nothing lost, one holder at a time, lock free, stats balance. */
function expectExclusive(r: RunResult, workers: number, iterations: number): void {
  expectWritesKept(r, workers * iterations, workers * iterations);
  expect(at(r.i32, OFF.maxInside)).toBe(1);
  for (const s of r.perThread) {
    expect(s.acq).toBe(iterations);
    expect(s.contended).toBeLessThanOrEqual(s.acq);
  }
  expect(r.total.contended).toBeLessThanOrEqual(r.total.acq);
}

afterEach(async () => {
  await Promise.allSettled([...live].map((w) => w.terminate()));
  live.clear();
});

beforeAll(() => {
  if (!existsSync(DIST_LOCKS)) throw new Error(`${DIST_LOCKS} is missing: run \`npx tsc -p tsconfig.json\` first`);
});

describe('locks under real threads', () => {
  for (const kind of LOCK_KINDS) {
    it(`${kind}: 4 workers × ${ITERATIONS} exclusive sections lose nothing and never overlap`, TIMEOUT, async () => {
      const workers = 4;
      const r = await runWorkers({ kind, mode: 'exclusive', workers, iterations: ITERATIONS });
      expectExclusive(r, workers, ITERATIONS);
      // With 4 back-to-back acquirers on at most a couple of cores, acquisitions do contend.
      if (CORES < workers) expect(r.total.contended).toBeGreaterThan(0);
    });
  }

  for (const kind of ['ttas', 'mcs'] as const) {
    it(`${kind}: 8 workers (oversubscribed) complete with exact counts`, TIMEOUT, async () => {
      const workers = 8;
      const r = await runWorkers({ kind, mode: 'exclusive', workers, iterations: ITERATIONS });
      expectExclusive(r, workers, ITERATIONS);
    });
  }

  it('rw: shared readers only all get in, and the counter is never written', TIMEOUT, async () => {
    const workers = 4;
    const r = await runWorkers({ kind: 'rw', mode: 'shared', workers, iterations: ITERATIONS });
    const { i32 } = r;
    expect(at(i32, OFF.counter)).toBe(0);
    expect(at(i32, OFF.maxWriters)).toBe(0);
    expect(at(i32, OFF.readerViolations)).toBe(0);
    expect(at(i32, OFF.maxReaders)).toBeGreaterThanOrEqual(1);
    expect(at(i32, OFF.maxReaders)).toBeLessThanOrEqual(workers);
    expect(at(i32, OFF.inside)).toBe(0);
    expect(lockIsFree(i32, OFF.lock)).toBe(true);
    expect(r.total.acq).toBe(workers * ITERATIONS);
    // No writer ever held the lock, so no reader could have been turned away.
    expect(r.total.contended).toBe(0);
  });

  it('rw: mixed readers and writers never overlap, and no write is lost', TIMEOUT, async () => {
    const workers = 4;
    const writers = 2;
    const r = await runWorkers({ kind: 'rw', mode: 'mixed', workers, writers, iterations: ITERATIONS });
    expectWritesKept(r, writers * ITERATIONS, workers * ITERATIONS);
    expect(at(r.i32, OFF.readerViolations)).toBe(0);
    for (const s of r.perThread) expect(s.contended).toBeLessThanOrEqual(s.acq);
  });

  it('seqcount: readers racing two writers never accept a torn read', TIMEOUT, async () => {
    const workers = 4;
    const writers = 2;
    const r = await runWorkers({ kind: 'ttas', mode: 'seqcount', workers, writers, iterations: ITERATIONS });
    const { i32 } = r;
    const writes = writers * ITERATIONS;
    expect(at(i32, OFF.seqTorn)).toBe(0);
    expect(at(i32, OFF.seqBackwards)).toBe(0);
    expect(at(i32, OFF.seqA)).toBe(writes);
    expect(at(i32, OFF.seqB)).toBe(writes);
    expect(at(i32, OFF.seq)).toBe(2 * writes); // even: no writer left inside
    expect(at(i32, OFF.writersDone)).toBe(writers);
    expect(at(i32, OFF.seqReads)).toBeGreaterThanOrEqual((workers - writers) * ITERATIONS);
    expect(at(i32, OFF.maxWriters)).toBe(1);
    expect(at(i32, OFF.writerViolations)).toBe(0);
    expect(lockIsFree(i32, OFF.lock)).toBe(true);
    // Only the writers take the lock.
    expect(r.total.acq).toBe(writes);
    for (const s of r.perThread.slice(writers)) expect(s.acq).toBe(0);
  });
});
