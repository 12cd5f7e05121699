/**
 * Timestamp and change-counter strategies: the rows of every result table.
 * Each is one module behind the Strategy interface; adding one is one file
 * and one entry in STRATEGIES.
 */
import type { Strategy, StrategyInfo } from './strategy.js';
import { deferred } from './deferred.js';
import { eager } from './eager.js';
import { eagerIversion } from './eager-iversion.js';
import { iversionQueried } from './iversion-queried.js';
import { lazytime } from './lazytime.js';
import { lazytimeIversion } from './lazytime-iversion.js';
import { multigrain, multigrainIversion } from './multigrain.js';
import { none } from './none.js';
import { wrprotectOnQuery } from './wrprotect-on-query.js';

export type { MappingRange, Strategy, StrategyInfo, StrategyKernel } from './strategy.js';

export const STRATEGIES = {
  none,
  'eager-iversion': eagerIversion,
  eager,
  deferred,
  lazytime,
  'lazytime-iversion': lazytimeIversion,
  'iversion-queried': iversionQueried,
  multigrain,
  'multigrain-iversion': multigrainIversion,
  'wrprotect-on-query': wrprotectOnQuery,
} as const satisfies Record<string, StrategyInfo>;

export type StrategyName = keyof typeof STRATEGIES;
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

export function makeStrategy(name: StrategyName): Strategy {
  return STRATEGIES[name].make();
}

/** Does the strategy keep i_version (so nfsd hands it out as the change attribute)? */
export const keepsIversion = (name: StrategyName): boolean => STRATEGIES[name].iversion;
