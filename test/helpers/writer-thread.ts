/**
 * The addon's writer loop in a worker thread (test/fixtures/native-writer.mjs),
 * as the kernel target runs it: the test waits for the handshake, watches the
 * shared words, stores the stop word, then reads what the loop returned.
 */
import { Worker } from 'node:worker_threads';
import type { WriterIndexes } from '../../src/targets/kernel/native.js';

export interface WriterThreadData {
  readonly fd: number;
  readonly pages: number;
  readonly idx: WriterIndexes;
  /** 'writerLoop' when absent. */
  readonly fn?: 'processWriterLoop';
}

export interface WriterThread {
  /** The shared words: the loop's counters, the stop word and the ready word. */
  readonly i32: Int32Array;
  /** Settles when the worker has exited, however it ended. */
  readonly done: Promise<void>;
  exited(): boolean;
  /** What the loop returned, once it has. */
  result(): { total: number } | undefined;
  /** Throws the worker's error, if it raised one. */
  rethrow(): void;
  /** Waits for the handshake: the worker bumps the ready word and notifies just before entering the loop. */
  ready(): Promise<void>;
  /** Ends the worker, whatever state the test left it in. */
  close(): Promise<void>;
}

export function startWriterThread(slots: number, ready: number, data: WriterThreadData): WriterThread {
  const sab = new SharedArrayBuffer(slots * 4);
  const i32 = new Int32Array(sab);
  const worker = new Worker(new URL('../fixtures/native-writer.mjs', import.meta.url), {
    workerData: { sab, ready, ...data },
  });
  let failure: unknown;
  let result: { total: number } | undefined;
  const done = new Promise<void>((resolve) => {
    worker.once('message', (m: { total: number }) => (result = m));
    worker.once('error', (err) => (failure = err));
    worker.once('exit', () => resolve());
  });
  let exited = false;
  void done.then(() => (exited = true));
  return {
    i32,
    done,
    exited: () => exited,
    result: () => result,
    rethrow() {
      if (failure !== undefined) throw failure;
    },
    async ready() {
      const w = Atomics.waitAsync(i32, ready, 0, 30_000);
      if (w.async) await Promise.race([w.value, done]);
    },
    async close() {
      Atomics.notify(i32, ready); // ends a still-pending waitAsync if the worker died early
      await worker.terminate();
    },
  };
}
