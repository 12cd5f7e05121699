/** Thread-count lists (`--threads 1,2,4-8,max`), shared by every command that sweeps thread counts. */
import { Errors } from '../errors.js';
import { INTEGER, parseIntIn, splitList } from './values.js';

/** Upper bound on any thread count: well past the cores of the machines this targets. */
export const MAX_THREADS = 256;

const THREAD_RULE = 'thread counts are integers';

/** What the host reports; ignore nonsense (0, NaN) rather than fail, and stay within MAX_THREADS. */
export function usableCores(cores: number): number {
  if (!Number.isFinite(cores) || cores < 1) return 1;
  return Math.min(MAX_THREADS, Math.floor(cores));
}

/** Powers of two up to the core count, plus the core count itself: 16 → 1,2,4,8,16; 6 → 1,2,4,6. */
export function defaultThreads(cores: number): number[] {
  const n = usableCores(cores);
  const out: number[] = [];
  for (let t = 1; t <= n; t *= 2) out.push(t);
  if (out[out.length - 1] !== n) out.push(n);
  return out;
}

/** A comma list of N, A-B (inclusive) or max (the usable cores), each 1..`max` (MAX_THREADS unless a target allows more); sorted, unique. */
export function parseThreads(flag: string, raw: string, cores: number, max: number = MAX_THREADS): number[] {
  const set = new Set<number>();
  for (const item of splitList(flag, raw)) {
    if (item === 'max') {
      set.add(usableCores(cores));
      continue;
    }
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (a < 1 || b > max) throw Errors.outOfRange(flag, item, 1, max, THREAD_RULE);
      if (a > b) throw Errors.reversedRange(flag, item);
      for (let t = a; t <= b; t++) set.add(t);
      continue;
    }
    if (!INTEGER.test(item)) throw Errors.badThreadItem(flag, item, max);
    set.add(parseIntIn(flag, item, 1, max, THREAD_RULE));
  }
  return [...set].sort((x, y) => x - y);
}
