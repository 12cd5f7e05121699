/**
 * Lock protocols under random schedules, deterministically and on one thread.
 *
 * The real Atomics locks block, so a schedule is built from the steps that do
 * not: fast-check generates commands of simulated threads (one real lock
 * object per CPU over one shared buffer) and a model decides which may run.
 *  - The real classes' acquire is issued only when the model says it will not
 *    block (the lock is free); their release only from the holder.
 *  - Contended threads run the non-blocking steps of the real protocol,
 *    mirrored here step by step from src/model/locks/locks.ts: a TTAS waiter's CAS, a
 *    ticket waiter taking a ticket and polling for its turn, an rwlock writer
 *    claiming the writer bit and polling for the readers to drain, an rwlock
 *    reader entering and backing out; and any waiter may sleep on the lock's
 *    wait queue (park's waiter count) and wake again.
 * After every step the lock words (state, next, owner), lockIsFree, the wait
 * queue (waiters, generation) and every thread's statistics must equal the
 * model's. A contender's step while the lock is held must fail (mutual
 * exclusion), and a release with sleepers must move the wait-queue generation
 * (no lost wake-up). The last block runs the same schedules on deliberately
 * broken locks and requires the property to fail, so it is known to bite.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  CPU_LOCKSTATS,
  CPU_SLOTS,
  LINE,
  LS_ACQ,
  L_NEXT,
  L_OWNER,
  L_STATE,
  L_WQ,
  WQ_GEN,
  WQ_WAITERS,
} from '../../src/model/layout.js';
import type { LockKind } from '../../src/model/locks/kinds.js';
import { ATOMICS } from '../../src/model/memory.js';
import {
  RwLock,
  TicketLock,
  TtasLock,
  lockIsFree,
  makeLock,
  wake,
  type Lock,
  type LockContext,
  type LockTuning,
} from '../../src/model/locks/locks.js';
import { lockStatsAt } from '../helpers/lock-stats.js';

const THREADS = 4;
const NUM_RUNS = Number(process.env.FAULTSCALE_FC_RUNS ?? 500);
const SEED = Number(process.env.FAULTSCALE_FC_SEED ?? 424242);
const MAX_COMMANDS = 120;
/** src/model/locks/locks.ts's rwlock layout: writer bit, reader count below it. */
const RW_WRITER = 1 << 30;
const RW_READERS = RW_WRITER - 1;

// The test buffer: one lock line, then one per-CPU block per thread (statistics line, MCS node) as in layout.ts.
const BASE = LINE;
const CPU_BASE = 4 * LINE;
const SLOTS = CPU_BASE + THREADS * CPU_SLOTS;
const statAt = (t: number): number => CPU_BASE + t * CPU_SLOTS + CPU_LOCKSTATS;
const TUNING: LockTuning = { spinLimit: 4, maxBackoff: 64 };

type LockFactory = (i32: Int32Array, cpu: number) => Lock;
const realLock =
  (kind: LockKind): LockFactory =>
  (i32, cpu) =>
    makeLock(kind, { i32, mem: ATOMICS, tuning: TUNING, cpu, cpuBase: CPU_BASE, cpuSlots: CPU_SLOTS }, statAt(cpu));

// ---- model and real system ------------------------------------------------------

interface Model {
  readonly kind: LockKind;
  /** Exclusive holder (the writer, for rw). */
  holder: number | null;
  /** rw: a writer that set the writer bit and waits for the readers to drain. */
  claimed: number | null;
  /** rw: threads holding the read side. */
  readonly readers: Set<number>;
  /** rw: threads whose reader count is in the state word while they back out from a writer. */
  readonly entering: Set<number>;
  /** ticket: waiters in ticket order. */
  readonly queue: { t: number; ticket: number }[];
  nextTicket: number;
  served: number;
  /** Acquisitions through the real classes (the mirrored steps count none). */
  readonly acq: number[];
  /** Threads asleep on the lock's wait queue. */
  readonly sleepers: Set<number>;
  gen: number;
}

interface Real {
  readonly i32: Int32Array;
  readonly locks: Lock[];
}

interface Tally {
  commands: number;
  realAcquires: number;
  refused: number; // contender steps the model expected to fail while the lock was held, and that did fail
  handoffs: number; // contenders that got the lock through a mirrored step after a real release
  wakeups: number; // releases that had to wake sleepers
}

const newModel = (kind: LockKind): Model => ({
  kind,
  holder: null,
  claimed: null,
  readers: new Set(),
  entering: new Set(),
  queue: [],
  nextTicket: 0,
  served: 0,
  acq: new Array<number>(THREADS).fill(0),
  sleepers: new Set(),
  gen: 0,
});

const holds = (m: Readonly<Model>, t: number): boolean => m.holder === t || m.readers.has(t);
/** Thread t is doing nothing with the lock (not holding, not waiting, not asleep). */
const idle = (m: Readonly<Model>, t: number): boolean =>
  !holds(m, t) && m.claimed !== t && !m.entering.has(t) && !m.sleepers.has(t) && !m.queue.some((q) => q.t === t);
const modelFree = (m: Readonly<Model>): boolean =>
  m.holder === null && m.claimed === null && m.readers.size === 0 && m.entering.size === 0 && m.queue.length === 0;

/** wake(): the generation moves only when someone sleeps on the queue. */
function wakeEvent(m: Model, tally: Tally): void {
  if (m.sleepers.size > 0) {
    m.gen++;
    tally.wakeups++;
  }
}

function expectedState(m: Readonly<Model>): { state: number; next: number; owner: number } {
  const owner = m.holder === null ? 0 : m.holder + 1;
  switch (m.kind) {
    case 'ttas':
    case 'mutex':
      return { state: m.holder === null ? 0 : 1, next: 0, owner };
    case 'mcs':
      // Uncontended only: the tail is the holder's CPU + 1.
      return { state: owner, next: 0, owner };
    case 'ticket':
      return { state: m.served, next: m.nextTicket, owner };
    case 'rw':
      return {
        state: m.readers.size + m.entering.size + (m.holder !== null || m.claimed !== null ? RW_WRITER : 0),
        next: 0,
        owner,
      };
  }
}

/** After every command: the real words, wait queue and statistics equal the model's. */
function checkReal(m: Readonly<Model>, r: Real, what: string): void {
  const i32 = r.i32;
  const want = expectedState(m);
  const got = {
    state: Atomics.load(i32, BASE + L_STATE),
    next: Atomics.load(i32, BASE + L_NEXT),
    owner: Atomics.load(i32, BASE + L_OWNER),
  };
  const bad: string[] = [];
  if (got.state !== want.state || got.next !== want.next || got.owner !== want.owner) {
    bad.push(`lock words ${JSON.stringify(got)}, model ${JSON.stringify(want)}`);
  }
  if (lockIsFree(i32, BASE) !== modelFree(m)) bad.push(`lockIsFree ${lockIsFree(i32, BASE)}, model ${modelFree(m)}`);
  const waiters = Atomics.load(i32, BASE + L_WQ + WQ_WAITERS);
  const gen = Atomics.load(i32, BASE + L_WQ + WQ_GEN);
  if (waiters !== m.sleepers.size) bad.push(`wait queue has ${waiters} waiters, model ${m.sleepers.size}`);
  if (gen !== m.gen) bad.push(`wait-queue generation ${gen}, model ${m.gen} (a lost or spurious wake-up)`);
  for (let t = 0; t < THREADS; t++) {
    const { acq, ...others } = lockStatsAt(i32, statAt(t));
    if (acq !== m.acq[t]) bad.push(`thread ${t} counted ${acq} acquisitions, model ${m.acq[t]}`);
    // Every real acquisition was issued on a free lock: none may count as contended, spun or parked.
    for (const [name, v] of Object.entries(others)) {
      if (v !== 0) bad.push(`thread ${t} counted ${v} ${name} on uncontended acquisitions`);
    }
  }
  if (bad.length > 0) throw new Error(`after ${what}: ${bad.join('; ')}`);
}

/** Guard against a hang: a real acquire on a lock whose words say it is taken would block this (only) thread forever. */
function assertWouldNotBlock(r: Real, shared: boolean, what: string): void {
  const s = Atomics.load(r.i32, BASE + L_STATE);
  const n = Atomics.load(r.i32, BASE + L_NEXT);
  const free = shared ? (s & RW_WRITER) === 0 : s === n;
  if (!free)
    throw new Error(
      `${what}: the model says the lock is free but its words (state ${s}, next ${n}) say taken; acquire would block`,
    );
}

// ---- commands -----------------------------------------------------------------

type Cmd = fc.Command<Model, Real>;

abstract class Step implements Cmd {
  readonly t: number;
  readonly tally: Tally;
  constructor(t: number, tally: Tally) {
    this.t = t;
    this.tally = tally;
  }
  abstract check(m: Readonly<Model>): boolean;
  abstract apply(m: Model, r: Real): void;
  run(m: Model, r: Real): void {
    this.tally.commands++;
    this.apply(m, r);
    checkReal(m, r, this.toString());
  }
  toString(): string {
    return `${this.constructor.name}(${this.t})`;
  }
}

/** The real exclusive acquire (rw: the write side), only on a free lock. */
class Acquire extends Step {
  check(m: Readonly<Model>): boolean {
    return idle(m, this.t) && modelFree(m);
  }
  apply(m: Model, r: Real): void {
    assertWouldNotBlock(r, false, this.toString());
    r.locks[this.t]!.acquire(BASE);
    m.holder = this.t;
    if (m.kind === 'ticket') m.nextTicket++; // took the ticket being served
    m.acq[this.t]!++;
    this.tally.realAcquires++;
  }
}

/** The real exclusive release, from the holder. */
class Release extends Step {
  check(m: Readonly<Model>): boolean {
    return m.holder === this.t;
  }
  apply(m: Model, r: Real): void {
    r.locks[this.t]!.release(BASE);
    m.holder = null;
    if (m.kind === 'ticket') m.served++;
    if (m.kind !== 'mutex' && m.kind !== 'mcs') wakeEvent(m, this.tally);
  }
}

/** park(): a waiter raises the queue's waiter count and would sleep on the generation. */
class Sleep extends Step {
  check(m: Readonly<Model>): boolean {
    return (
      !holds(m, this.t) && !m.entering.has(this.t) && !m.sleepers.has(this.t) && m.kind !== 'mutex' && m.kind !== 'mcs'
    );
  }
  apply(m: Model, r: Real): void {
    Atomics.add(r.i32, BASE + L_WQ + WQ_WAITERS, 1);
    m.sleepers.add(this.t);
  }
}

/** park() returning: the waiter drops its count. */
class Wake extends Step {
  check(m: Readonly<Model>): boolean {
    return m.sleepers.has(this.t);
  }
  apply(m: Model, r: Real): void {
    Atomics.sub(r.i32, BASE + L_WQ + WQ_WAITERS, 1);
    m.sleepers.delete(this.t);
  }
}

/** TtasLock.acquire's waiting loop, one round: when the word reads 0, CAS it to 1; then set the owner. */
class TtasContend extends Step {
  check(m: Readonly<Model>): boolean {
    return idle(m, this.t);
  }
  apply(m: Model, r: Real): void {
    const i32 = r.i32;
    const got = Atomics.load(i32, BASE + L_STATE) === 0 && Atomics.compareExchange(i32, BASE + L_STATE, 0, 1) === 0;
    if (got !== (m.holder === null)) throw new Error(`${this}: CAS ${got ? 'won' : 'lost'} with holder ${m.holder}`);
    if (!got) {
      this.tally.refused++;
      return;
    }
    i32[BASE + L_OWNER] = this.t + 1;
    m.holder = this.t;
    this.tally.handoffs++;
  }
}

/** TicketLock.acquire's first step on a busy lock: take a ticket (then wait for it to be served). */
class TakeTicket extends Step {
  check(m: Readonly<Model>): boolean {
    return idle(m, this.t) && (m.holder !== null || m.queue.length > 0);
  }
  apply(m: Model, r: Real): void {
    const ticket = Atomics.add(r.i32, BASE + L_NEXT, 1);
    if (ticket !== m.nextTicket) throw new Error(`${this}: got ticket ${ticket}, model ${m.nextTicket}`);
    m.queue.push({ t: this.t, ticket });
    m.nextTicket++;
  }
}

/** A ticket waiter's check: is my ticket served? Only the head of the queue, and only once the lock was released. */
class PollTicket extends Step {
  check(m: Readonly<Model>): boolean {
    return m.queue.some((q) => q.t === this.t) && !m.sleepers.has(this.t);
  }
  apply(m: Model, r: Real): void {
    const pos = m.queue.findIndex((q) => q.t === this.t);
    const { ticket } = m.queue[pos]!;
    const got = Atomics.load(r.i32, BASE + L_STATE) === ticket;
    const want = pos === 0 && m.holder === null;
    if (got !== want)
      throw new Error(`${this}: ticket ${ticket} ${got ? 'served' : 'not served'}, model ${want ? 'served' : 'waits'}`);
    if (!got) {
      this.tally.refused++;
      return;
    }
    r.i32[BASE + L_OWNER] = this.t + 1;
    m.queue.shift();
    m.holder = this.t;
    this.tally.handoffs++;
  }
}

/** The real read-side acquire, only while no writer holds or claims the lock. */
class ReadAcquire extends Step {
  check(m: Readonly<Model>): boolean {
    return idle(m, this.t) && m.holder === null && m.claimed === null;
  }
  apply(m: Model, r: Real): void {
    assertWouldNotBlock(r, true, this.toString());
    r.locks[this.t]!.acquireShared(BASE);
    m.readers.add(this.t);
    m.acq[this.t]!++;
    this.tally.realAcquires++;
  }
}

/** The real read-side release; the last reader out while a writer waits must wake it. */
class ReadRelease extends Step {
  check(m: Readonly<Model>): boolean {
    return m.readers.has(this.t);
  }
  apply(m: Model, r: Real): void {
    const lastBeforeWriter = m.claimed !== null && m.readers.size + m.entering.size === 1;
    r.locks[this.t]!.releaseShared(BASE);
    m.readers.delete(this.t);
    if (lastBeforeWriter) wakeEvent(m, this.tally);
  }
}

/** RwLock.acquire's first loop, one round: CAS the writer bit in when no writer has it. */
class WriteClaim extends Step {
  check(m: Readonly<Model>): boolean {
    return idle(m, this.t);
  }
  apply(m: Model, r: Real): void {
    const i32 = r.i32;
    const v = Atomics.load(i32, BASE + L_STATE);
    const got = (v & RW_WRITER) === 0 && Atomics.compareExchange(i32, BASE + L_STATE, v, v | RW_WRITER) === v;
    const want = m.holder === null && m.claimed === null;
    if (got !== want)
      throw new Error(
        `${this}: writer bit ${got ? 'claimed' : 'refused'} (state ${v}), model ${want ? 'claims' : 'refuses'}`,
      );
    if (!got) {
      this.tally.refused++;
      return;
    }
    m.claimed = this.t;
  }
}

/** RwLock.acquire's second wait: once no reader is counted, the claimed writer holds the lock. */
class WritePoll extends Step {
  check(m: Readonly<Model>): boolean {
    return m.claimed === this.t && !m.sleepers.has(this.t);
  }
  apply(m: Model, r: Real): void {
    const got = (Atomics.load(r.i32, BASE + L_STATE) & RW_READERS) === 0;
    const want = m.readers.size + m.entering.size === 0;
    if (got !== want)
      throw new Error(`${this}: readers ${got ? 'drained' : 'inside'}, model ${want ? 'drained' : 'inside'}`);
    if (!got) {
      this.tally.refused++;
      return;
    }
    r.i32[BASE + L_OWNER] = this.t + 1;
    m.claimed = null;
    m.holder = this.t;
    this.tally.handoffs++;
  }
}

/** RwLock.acquireShared against a writer: the reader's add sees the writer bit, so it must back out. */
class ReadEnter extends Step {
  check(m: Readonly<Model>): boolean {
    return idle(m, this.t) && (m.holder !== null || m.claimed !== null);
  }
  apply(m: Model, r: Real): void {
    const prev = Atomics.add(r.i32, BASE + L_STATE, 1);
    if ((prev & RW_WRITER) === 0)
      throw new Error(`${this}: a reader got in past writer ${m.holder ?? m.claimed} (state ${prev})`);
    m.entering.add(this.t);
    this.tally.refused++;
  }
}

/** RwLock's backOut: drop the count; the last one out while the writer bit is set wakes the writer. */
class ReadBackOut extends Step {
  check(m: Readonly<Model>): boolean {
    return m.entering.has(this.t);
  }
  apply(m: Model, r: Real): void {
    const wasLast = Atomics.sub(r.i32, BASE + L_STATE, 1) === (RW_WRITER | 1);
    const want = (m.holder !== null || m.claimed !== null) && m.readers.size + m.entering.size === 1;
    if (wasLast !== want) throw new Error(`${this}: back-out ${wasLast ? 'was' : 'was not'} the last, model ${want}`);
    if (wasLast) wake(ATOMICS, r.i32, BASE + L_WQ);
    m.entering.delete(this.t);
    if (wasLast) wakeEvent(m, this.tally);
  }
}

type StepClass = new (t: number, tally: Tally) => Step;
const COMMANDS: Record<LockKind, StepClass[]> = {
  ttas: [Acquire, Release, TtasContend, Sleep, Wake],
  ticket: [Acquire, Release, TakeTicket, PollTicket, Sleep, Wake],
  rw: [Acquire, Release, ReadAcquire, ReadRelease, WriteClaim, WritePoll, ReadEnter, ReadBackOut, Sleep, Wake],
  // Uncontended hand-offs between CPUs only: their waits (futex word, MCS node) have no non-blocking step to drive.
  mutex: [Acquire, Release],
  mcs: [Acquire, Release],
};

function newTally(): Tally {
  return { commands: 0, realAcquires: 0, refused: 0, handoffs: 0, wakeups: 0 };
}

/** Random schedules of `kind`'s commands against locks made by `make`; throws on the first mismatch. */
function assertSchedules(
  kind: LockKind,
  make: LockFactory,
  tally: Tally,
  params: fc.Parameters<[Iterable<Cmd>]>,
): void {
  const arbs = COMMANDS[kind].map((C) => fc.nat(THREADS - 1).map((t): Cmd => new C(t, tally)));
  fc.assert(
    fc.property(fc.commands(arbs, { maxCommands: MAX_COMMANDS, size: 'max' }), (cmds) => {
      const setup = () => {
        const i32 = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
        return { model: newModel(kind), real: { i32, locks: Array.from({ length: THREADS }, (_, t) => make(i32, t)) } };
      };
      fc.modelRun(setup, cmds);
    }),
    params,
  );
}

// ---- the real locks ---------------------------------------------------------------

describe.each(['ttas', 'ticket', 'rw', 'mutex', 'mcs'] as const)('%s lock', (kind) => {
  it('keeps its words, wait queue and statistics equal to the model under random schedules', () => {
    const tally = newTally();
    assertSchedules(kind, realLock(kind), tally, { numRuns: NUM_RUNS, seed: SEED });
    console.log(`${kind}: ${NUM_RUNS} schedules, ${JSON.stringify(tally)}`);
    // The schedules must reach the interesting steps, or the property says little.
    expect(tally.realAcquires).toBeGreaterThan(NUM_RUNS);
    if (kind === 'ttas' || kind === 'ticket' || kind === 'rw') {
      expect(tally.refused).toBeGreaterThan(NUM_RUNS);
      expect(tally.handoffs).toBeGreaterThan(NUM_RUNS / 10);
      expect(tally.wakeups).toBeGreaterThan(NUM_RUNS / 4);
    }
  });
});

// ---- the same schedules must catch broken locks -----------------------------------------

class TtasKeepsOwner extends TtasLock {
  override release(base: number): void {
    Atomics.store(this.i32, base + L_STATE, 0); // forgot: owner = 0
    wake(ATOMICS, this.i32, base + L_WQ);
  }
}

class TtasNoWake extends TtasLock {
  override release(base: number): void {
    this.i32[base + L_OWNER] = 0;
    Atomics.store(this.i32, base + L_STATE, 0); // forgot: wake the sleepers
  }
}

class TtasNoState extends TtasLock {
  override acquire(base: number): void {
    this.i32[this.stat + LS_ACQ]!++;
    this.i32[base + L_OWNER] = this.cpu + 1; // forgot: the CAS that takes the lock
  }
}

class TicketNoServe extends TicketLock {
  override release(base: number): void {
    this.i32[base + L_OWNER] = 0; // forgot: serve the next ticket
    wake(ATOMICS, this.i32, base + L_WQ);
  }
}

class TicketServesTwice extends TicketLock {
  override release(base: number): void {
    this.i32[base + L_OWNER] = 0;
    Atomics.add(this.i32, base + L_STATE, 2); // skips a waiter's ticket
    wake(ATOMICS, this.i32, base + L_WQ);
  }
}

class RwReleaseClobbers extends RwLock {
  override release(base: number): void {
    this.i32[base + L_OWNER] = 0;
    Atomics.store(this.i32, base + L_STATE, 0); // wipes the counts of readers backing out
    wake(ATOMICS, this.i32, base + L_WQ);
  }
}

class RwReaderNoWake extends RwLock {
  override releaseShared(base: number): void {
    Atomics.sub(this.i32, base + L_STATE, 1); // forgot: the last reader out wakes a waiting writer
  }
}

const lockOf =
  (C: new (ctx: LockContext, stat: number) => Lock): LockFactory =>
  (i32, cpu) =>
    new C({ i32, mem: ATOMICS, tuning: TUNING, cpu, cpuBase: CPU_BASE, cpuSlots: CPU_SLOTS }, statAt(cpu));

describe('the schedules catch broken locks', () => {
  // Each with the complaint it must produce (the first mismatch after the broken step).
  const broken: [string, LockKind, LockFactory, RegExp][] = [
    [
      'TTAS release that leaves the owner set',
      'ttas',
      lockOf(TtasKeepsOwner),
      /after Release\(\d\): lock words .*"owner":\d.*lockIsFree false, model true/,
    ],
    [
      'TTAS release that wakes nobody',
      'ttas',
      lockOf(TtasNoWake),
      /after Release\(\d\): wait-queue generation \d+, model \d+ \(a lost or spurious wake-up\)/,
    ],
    [
      'TTAS acquire that never takes the lock word',
      'ttas',
      lockOf(TtasNoState),
      /after Acquire\(\d\): lock words \{"state":0/,
    ],
    [
      'ticket release that serves no next ticket',
      'ticket',
      lockOf(TicketNoServe),
      /after Release\(\d\): lock words .*lockIsFree false, model true/,
    ],
    ['ticket release that skips a ticket', 'ticket', lockOf(TicketServesTwice), /after Release\(\d\): lock words/],
    [
      'rw write release that wipes reader counts',
      'rw',
      lockOf(RwReleaseClobbers),
      /after Release\(\d\): lock words \{"state":0,.*model \{"state":[1-9]/,
    ],
    [
      'rw read release that never wakes the writer',
      'rw',
      lockOf(RwReaderNoWake),
      /after ReadRelease\(\d\): wait-queue generation/,
    ],
  ];
  it.each(broken)('%s', (_name, kind, make, complaint) => {
    let err: unknown;
    try {
      assertSchedules(kind, make, newTally(), { numRuns: NUM_RUNS, seed: SEED });
    } catch (e) {
      err = e;
    }
    expect(err, 'the property passed on a broken lock').toBeInstanceOf(Error);
    const e = err as Error;
    expect(e.message).toMatch(/Property failed/);
    // fast-check keeps the failing command's error as the cause.
    expect(`${e.message}\n${e.cause instanceof Error ? e.cause.message : String(e.cause)}`).toMatch(complaint);
  });
});
