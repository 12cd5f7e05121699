/**
 * Partner thread of the coherence calibration (src/harness/calibrate/coherence.ts):
 * answers the main thread's ping-pong on one shared word, or its wake-ups.
 */
import { workerData } from 'node:worker_threads';

import { PP, type PingPongTask } from '../src/harness/calibrate/pingpong-layout.js';

const task = workerData as PingPongTask;
const w = new Int32Array(task.sab);

// Tell the main thread we run; it spins on READY before timing anything.
Atomics.store(w, PP.READY, 1);

if (task.mode === 'pingpong') {
  // Each move: wait (spinning, no sleep) until the turn is odd, i.e. the main
  // thread has just written the word, then add 1 to hand it back. Every load
  // that sees the main thread's write pulls the line from the other core, and
  // every add takes ownership back: one line transfer per hand-off.
  for (let i = 0; i < task.rounds; i++) {
    while ((Atomics.load(w, PP.TURN) & 1) === 0) {
      if (Atomics.load(w, PP.STOP) !== 0) process.exit(0);
    }
    Atomics.add(w, PP.TURN, 1);
  }
} else {
  for (let i = 0; i < task.rounds; i++) {
    // Say we are about to sleep, then sleep while WAKE is 0. If the main thread already stored 1, wait returns
    // 'not-equal' at once and no wake-up happened; the main thread sees that
    // from notify's count (0 woken) and does not time the round.
    Atomics.store(w, PP.ARMED, 1);
    Atomics.wait(w, PP.WAKE, 0);
    if (Atomics.load(w, PP.STOP) !== 0) break;
    // Hand the word back before waking the main thread: it sleeps while WAKE
    // is 1, so a store after the notify could leave it asleep for good. Its
    // wait returns 'ok' only when this notify woke it.
    Atomics.store(w, PP.WAKE, 0);
    Atomics.notify(w, PP.WAKE, 1);
  }
}
