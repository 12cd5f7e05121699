/**
 * The order a sweep takes its runs in. `interleaved` (the default) runs the
 * configurations round-robin, one run of every unfinished configuration per
 * round, in a fresh seeded random order each round (Google Benchmark's random
 * interleaving; Kalibera and Jones, "Rigorous Benchmarking in Reasonable
 * Time", 2013): a drift of the machine over the sweep then spreads over every
 * configuration, widening its spread, instead of biasing whichever ran first
 * or last. `sequential` takes every run of one configuration before the next.
 *
 * Under `--runs auto` the rounds are how adaptivity and interleaving combine:
 * a configuration leaves the rounds once its stopping rule is met, and the
 * rest go on, still one run each per round.
 */
import { mulberry32, shuffled } from '../model/prng.js';

export const RUN_ORDERS = ['interleaved', 'sequential'] as const;
export type RunOrder = (typeof RUN_ORDERS)[number];

export interface RunScheduler {
  /** The configuration (index) to run next; null when none wants another run. */
  next(): number | null;
}

/**
 * `wantsRun(i)` says whether configuration i needs another run now (false
 * once it has its runs, met its target, or failed); it is asked again before
 * every run, so a configuration that fails mid-round is skipped.
 */
export function runScheduler(count: number, order: RunOrder, seed: number, wantsRun: (config: number) => boolean): RunScheduler {
  const all = Array.from({ length: count }, (_, i) => i);
  if (order === 'sequential') {
    let current = 0;
    return {
      next() {
        while (current < count && !wantsRun(current)) current++;
        return current < count ? current : null;
      },
    };
  }
  const rng = mulberry32(seed);
  let round: number[] = [];
  return {
    next() {
      for (;;) {
        while (round.length > 0) {
          const i = round.shift()!;
          if (wantsRun(i)) return i;
        }
        round = shuffled(rng, all.filter(wantsRun));
        if (round.length === 0) return null;
      }
    },
  };
}
