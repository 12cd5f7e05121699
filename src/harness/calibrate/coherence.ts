/**
 * What the `this-host` hardware preset needs from this machine: the cost of
 * moving a cache line between two threads and the wake-up latency of
 * Atomics.wait/notify, each the median over batches.
 *
 *  - line transfer: the main thread and a worker thread hand one
 *    SharedArrayBuffer word back and forth (Atomics.load spin, Atomics.add);
 *    the same loop on one thread, where the line never moves, is subtracted
 *    per hand-off.
 *  - wake-up: the main thread wakes a sleeping worker, which wakes the main
 *    thread back; a round counts only when both really slept (notify woke one
 *    waiter, wait returned 'ok'), and half its time is one wake-up.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { sampleMedian } from '../../analysis/stats.js';
import { PP, type PingPongTask } from './pingpong-layout.js';

export interface CoherenceSettings {
  /** Hand-offs per timed ping-pong batch. */
  readonly handoffsPerBatch: number;
  /** Timed batches (after one untimed warm-up batch). */
  readonly batches: number;
  /** Wake-up round trips tried. */
  readonly wakeRounds: number;
}

export const COHERENCE_DEFAULTS: CoherenceSettings = { handoffsPerBatch: 2_000, batches: 201, wakeRounds: 400 };
export const COHERENCE_QUICK: CoherenceSettings = { handoffsPerBatch: 1_000, batches: 51, wakeRounds: 100 };

export interface CoherenceMeasurement {
  /** Median ns per hand-off between two threads. */
  readonly pingPongNs: number;
  /** Median ns per hand-off of the same loop on one thread. */
  readonly oneThreadNs: number;
  /** pingPongNs − oneThreadNs, at least 0. */
  readonly lineTransferNs: number;
  /** Median ns of a wake-up round trip (two wake-ups). */
  readonly wakeRoundTripNs: number;
  /** Half of that. */
  readonly wakeNs: number;
  /** Wake-up rounds that counted (both sides slept). */
  readonly wakeSamples: number;
}

/** The figures from the raw samples: pure, so it can be checked on its own. */
export function coherenceFigures(
  pingPongBatchNs: readonly number[],
  oneThreadBatchNs: readonly number[],
  handoffsPerBatch: number,
  wakeRoundTrips: readonly number[],
): CoherenceMeasurement {
  const pingPongNs = sampleMedian(pingPongBatchNs) / handoffsPerBatch;
  const oneThreadNs = sampleMedian(oneThreadBatchNs) / handoffsPerBatch;
  const wakeRoundTripNs = sampleMedian(wakeRoundTrips);
  return {
    pingPongNs,
    oneThreadNs,
    lineTransferNs: Math.max(0, pingPongNs - oneThreadNs),
    wakeRoundTripNs,
    wakeNs: wakeRoundTripNs / 2,
    wakeSamples: wakeRoundTrips.length,
  };
}

/** Compiled partner entry. Under a TypeScript runner (tests) this module is .ts, so point at the build. */
function partnerFile(): string {
  const here = import.meta.url;
  const rel = here.endsWith('.ts') ? '../../../dist/workers/pingpong.js' : '../../../workers/pingpong.js';
  return fileURLToPath(new URL(rel, here));
}

const now = (): number => Number(process.hrtime.bigint());

function startPartner(task: PingPongTask): { worker: Worker; done: Promise<void> } {
  const worker = new Worker(partnerFile(), { workerData: task });
  const done = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the ping-pong partner exited with status ${code}`)),
    );
  });
  return { worker, done };
}

/** Spins until the partner has set READY: thread start-up must not land in a timed batch. */
function awaitReady(w: Int32Array, failed: () => boolean): void {
  while (Atomics.load(w, PP.READY) === 0) {
    if (failed()) throw new Error('the ping-pong partner did not start');
  }
}

/** One thread doing the partner's half too: a load that finds the turn, an add that passes it. The line never moves. */
function oneThreadBatches(s: CoherenceSettings): number[] {
  const w = new Int32Array(new SharedArrayBuffer(PP.INTS * 4));
  const out: number[] = [];
  for (let b = 0; b <= s.batches; b++) {
    const t0 = now();
    for (let i = 0; i < s.handoffsPerBatch; i++) {
      Atomics.load(w, PP.TURN);
      Atomics.add(w, PP.TURN, 1);
    }
    const t1 = now();
    if (b > 0) out.push(t1 - t0); // batch 0 warms the JIT
  }
  return out;
}

/** What the measuring thread sees of the partner: its failure, set when the worker errs or exits non-zero. */
interface Partner {
  failure: unknown;
}

/**
 * Starts the partner on a fresh shared buffer, waits until it is ready, and runs `measure`; then
 * always stops the partner (`stop` tells it how) and reaps it. A partner that failed fails the
 * measurement, even when it failed only while stopping.
 */
async function withPartner(
  mode: PingPongTask['mode'],
  rounds: number,
  measure: (w: Int32Array, partner: Partner) => number[],
  stop: (w: Int32Array) => void,
): Promise<number[]> {
  const sab = new SharedArrayBuffer(PP.INTS * 4);
  const w = new Int32Array(sab);
  const { worker, done } = startPartner({ sab, mode, rounds });
  const partner: Partner = { failure: null };
  done.catch((e: unknown) => {
    partner.failure = e;
  });
  let out: number[];
  try {
    awaitReady(w, () => partner.failure !== null);
    out = measure(w, partner);
  } finally {
    stop(w);
    await done.catch(() => undefined);
    await worker.terminate();
  }
  if (partner.failure !== null) throw partner.failure;
  return out;
}

function pingPongBatches(s: CoherenceSettings): Promise<number[]> {
  // Each batch is handoffsPerBatch / 2 round trips: this thread's add and the partner's.
  const roundsPerBatch = Math.max(1, Math.floor(s.handoffsPerBatch / 2));
  return withPartner(
    'pingpong',
    roundsPerBatch * (s.batches + 1),
    (w, partner) => {
      const out: number[] = [];
      for (let b = 0; b <= s.batches; b++) {
        const t0 = now();
        for (let i = 0; i < roundsPerBatch; i++) {
          // Our move: the turn is even. The add makes it odd and hands the line to the partner,
          // whose add makes it even again; the spin's load pulls the line back here.
          Atomics.add(w, PP.TURN, 1);
          while ((Atomics.load(w, PP.TURN) & 1) === 1) {
            // A partner that died leaves the turn odd forever: stop spinning on it.
            if (partner.failure !== null) throw partner.failure;
          }
        }
        const t1 = now();
        if (b > 0) out.push(t1 - t0);
      }
      return out;
    },
    (w) => Atomics.store(w, PP.STOP, 1),
  );
}

function wakeRoundTrips(s: CoherenceSettings): Promise<number[]> {
  return withPartner(
    'wake',
    4 * s.wakeRounds,
    (w, partner) => wakeRounds(s, w, partner),
    (w) => {
      // Leave the loop: STOP first, then wake the partner so it sees it.
      Atomics.store(w, PP.STOP, 1);
      Atomics.store(w, PP.WAKE, 1);
      Atomics.notify(w, PP.WAKE, 1);
    },
  );
}

/** The timed wake-up round trips, against a partner that is ready. */
function wakeRounds(s: CoherenceSettings, w: Int32Array, partner: Partner): number[] {
  const out: number[] = [];
  // A round counts only when both threads slept. On a busy machine the partner may not reach its
  // wait in time: then wait longer before the next round (up to 10 ms), and try up to 4× as often.
  let settleNs = 50_000;
  for (let tries = 0; out.length < s.wakeRounds && tries < 4 * s.wakeRounds && partner.failure === null; tries++) {
    // The partner sets ARMED just before its wait; then give it time to get into the kernel.
    while (Atomics.load(w, PP.ARMED) === 0) {
      if (partner.failure !== null) break;
    }
    Atomics.store(w, PP.ARMED, 0);
    const settle = now() + settleNs;
    while (now() < settle) {
      /* spin */
    }
    const t0 = now();
    // Store before notify: the partner sleeps while WAKE is 0, so it runs once it sees 1.
    Atomics.store(w, PP.WAKE, 1);
    const woke = Atomics.notify(w, PP.WAKE, 1);
    // Sleep while WAKE is 1; the partner stores 0 and then notifies.
    const result = Atomics.wait(w, PP.WAKE, 1, 1000);
    const t1 = now();
    if (result === 'timed-out') throw new Error('the wake-up partner did not answer within a second');
    if (woke === 1 && result === 'ok') out.push(t1 - t0);
    else settleNs = Math.min(10_000_000, settleNs * 2);
    // When either side did not sleep, WAKE may still be 1 here; wait until the partner has answered.
    while (Atomics.load(w, PP.WAKE) !== 0) {
      if (partner.failure !== null) break;
    }
  }
  return out;
}

/** Runs the three measurements one after the other (each alone on the machine's cores). */
export async function measureCoherence(s: CoherenceSettings = COHERENCE_DEFAULTS): Promise<CoherenceMeasurement> {
  const one = oneThreadBatches(s);
  const two = await pingPongBatches(s);
  const wake = await wakeRoundTrips(s);
  if (wake.length === 0) throw new Error('no wake-up round had both threads asleep; the machine may be too busy');
  return coherenceFigures(two, one, s.handoffsPerBatch, wake);
}
