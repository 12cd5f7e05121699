/** Tests drive the single-threaded Sim directly; `makeModel` keeps their setup to one line. */
import { Sim, type SimOptions } from '../../src/model/sim.js';
import type { StrategyName } from '../../src/model/strategies/index.js';

export type Model = Sim;

export function makeModel(strategy: StrategyName, opts: SimOptions = {}): Model {
  return new Sim(strategy, opts);
}
