/**
 * What the targets that run the model kernel (model, virtual) share: they run
 * every combination the sweep lists, and their rows are in the model's time
 * at the modelled kernel's HZ, with no real kernel or filesystem behind them.
 */
import type { SweepConfig, SweepLists, TargetFacts } from './target.js';

/** Every (workload, journal, strategy, threads), in that nesting order. */
export const everyCombination = (lists: SweepLists): SweepConfig[] =>
  lists.workloads.flatMap((workload) =>
    lists.journals.flatMap((journal) =>
      lists.strategies.flatMap((strategy) =>
        lists.threads.map((threads) => ({ workload, journal, strategy, threads })),
      ),
    ),
  );

/** A model-kernel target's facts: the time scale and HZ asked for, on `machine` (empty names: this one). */
export const modelKernelFacts = (
  asked: { readonly timeScale: number; readonly hz: number },
  machine: Pick<TargetFacts, 'realWriters' | 'hardware' | 'topology'>,
): TargetFacts => ({
  mode: 'threads',
  kernelVersion: '',
  fsType: '',
  mountOptions: '',
  countsMinorFaults: false,
  timeScale: asked.timeScale,
  hz: asked.hz,
  ...machine,
});
