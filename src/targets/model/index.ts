/**
 * The model target: the simulated kernel in one SharedArrayBuffer, one
 * thread per simulated CPU (the threads coordinator). Every combination of
 * workload, journal and strategy runs; a run ends with sync(2) and the
 * model's invariant check.
 */
import { modelServices } from '../../model/config.js';
import { checkInvariants, finalSync } from '../../model/state.js';
import { everyCombination, modelKernelFacts } from '../model-kernel.js';
import type { Target } from '../target.js';
import { ThreadsCoordinator, poolSize, type RunResources } from '../threads/coordinator.js';
import { unitsOnThreads } from '../threads/units.js';
import { warmModels, warmMs } from './warm.js';

const NO_RESOURCES: RunResources = { fds: [], close: () => {} };

export function modelTarget(): Target {
  const threads = new ThreadsCoordinator({
    roles: 'model',
    mode: 'threads',
    open: () => NO_RESOURCES,
    settle: (sab, cfg) => {
      finalSync(sab, cfg);
      return checkInvariants(sab, cfg);
    },
  });
  return {
    name: 'model',
    unavailable: () => null,
    configurations: everyCombination,
    notes: () => [],
    facts: (asked) => modelKernelFacts(asked, { realWriters: true, hardware: '', topology: '' }),
    identity: (c, cfg) => ({
      journal: c.journal,
      strategy: c.strategy,
      lock: cfg.lock,
      label: `workload=${c.workload} journal=${c.journal} lock=${cfg.lock} strategy=${c.strategy} threads=${c.threads}`,
    }),
    services: modelServices,
    sharedPages: (pages) => pages,
    unitsPerNs: unitsOnThreads,
    parallelRuns: 1,
    prepare: async (preview) => {
      await threads.reserve(poolSize(preview.configs));
      const models = warmModels(preview);
      await threads.warm(models, warmMs(models.length));
    },
    run: (request) => threads.run(request),
    close: () => threads.close(),
  };
}
