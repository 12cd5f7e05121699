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

export interface RunScheduler<K> {
  /** The configuration to run next; null when none wants another run. */
  next(): K | null;
}

/**
 * `configs` in the sweep's order. `wantsRun(c)` says whether configuration
 * c needs another run now (false once it has its runs, met its target, or
 * failed); it is asked again before every run, so a configuration that
 * fails mid-round is skipped. `busy(c)` says configuration c has runs in
 * flight (a sweep that runs several at once): in sequential order the sweep
 * stays on it until they end, and while it wants no more runs the next
 * configurations' runs start beside them.
 */
export function runScheduler<K>(
  configs: readonly K[],
  order: RunOrder,
  seed: number,
  wantsRun: (config: K) => boolean,
  busy: (config: K) => boolean = () => false,
): RunScheduler<K> {
  if (order === 'sequential') {
    // The first configuration not yet finished; runs in flight (busy) may still make it want more.
    let current = 0;
    return {
      next() {
        while (current < configs.length && !wantsRun(configs[current]!) && !busy(configs[current]!)) current++;
        for (let i = current; i < configs.length; i++) if (wantsRun(configs[i]!)) return configs[i]!;
        return null;
      },
    };
  }
  const rng = mulberry32(seed);
  let round: K[] = [];
  return {
    next() {
      for (;;) {
        while (round.length > 0) {
          const c = round.shift()!;
          if (wantsRun(c)) return c;
        }
        round = shuffled(rng, configs.filter(wantsRun));
        if (round.length === 0) return null;
      }
    },
  };
}
