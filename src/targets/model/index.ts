/**
 * The model target: the simulated kernel in one SharedArrayBuffer, one
 * thread per simulated CPU. Every combination of workload, journal and
 * strategy runs; a run ends with sync(2) and the model's invariant check.
 */
import { modelServices, type ModelConfig } from '../../model/config.js';
import { checkInvariants, finalSync } from '../../model/state.js';
import type { RunResources, SweepConfig, SweepLists, Target } from '../target.js';

const NO_RESOURCES: RunResources = { fds: [], close: () => {} };

export function modelTarget(): Target {
  return {
    name: 'model',
    unavailable: () => null,
    configurations: (lists: SweepLists): SweepConfig[] =>
      lists.workloads.flatMap((workload) =>
        lists.journals.flatMap((journal) =>
          lists.strategies.flatMap((strategy) =>
            lists.threads.map((threads) => ({ workload, journal, strategy, threads })),
          ),
        ),
      ),
    notes: () => [],
    facts: { kernelVersion: '', fsType: '', mountOptions: '' },
    services: modelServices,
    sharedPages: (pages) => pages,
    timeScale: (requested) => requested,
    mode: 'threads',
    warmsModel: true,
    countsMinorFaults: false,
    label: (c, cfg) =>
      `workload=${c.workload} journal=${c.journal} lock=${cfg.lock} strategy=${c.strategy} threads=${c.threads}`,
    identity: (c, cfg) => ({ journal: c.journal, strategy: c.strategy, lock: cfg.lock }),
    open: () => NO_RESOURCES,
    settle: (sab: SharedArrayBuffer, cfg: ModelConfig) => {
      finalSync(sab, cfg);
      return checkInvariants(sab, cfg);
    },
  };
}
