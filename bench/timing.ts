/** Timing helpers the micro-benchmarks share: a clock, per-operation samples for tinybench, and in-order runs. */
import type { Bench, Task } from 'tinybench';

export const nowNs = (): bigint => process.hrtime.bigint();

/** Per-operation sample for tinybench: `ops` operations took `ns` nanoseconds. */
export function perOp(ns: number, ops: number): { overriddenDuration: number; overriddenIterationCost: number } {
  return { overriddenDuration: ns / ops / 1e6, overriddenIterationCost: ns / 1e6 };
}

/** Run tasks one at a time: warm one up, measure it, go on to the next; `after` runs once a task is done. */
export function runInOrder(bench: Bench, after?: (task: Task) => void): void {
  for (const task of bench.tasks) {
    if (bench.warmup) task.warmupSync();
    task.runSync();
    const r = task.result;
    if (r.state === 'errored') throw r.error;
    after?.(task);
  }
}
