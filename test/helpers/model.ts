/** Tests drive the single-threaded Sim directly; `makeModel` keeps their setup to one line. */
import { Sim, type SimOptions } from '../../src/sim.js';
import type { StrategyName } from '../../src/strategies/index.js';

export type Model = Sim;

export function makeModel(strategy: StrategyName, opts: SimOptions = {}): Model {
  return new Sim(strategy, opts);
}
