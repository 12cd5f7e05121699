/**
 * The model target's JIT warm-up: before a sweep's first run, every pool
 * thread runs the fault, writeback, getattr and commit paths of each distinct
 * configuration (workload, journal, strategy, preset) with one writer, so no
 * measured run pays for compiling them (model/roles.ts warmUp).
 */
import type { ModelConfig } from '../../model/config.js';
import type { SweepPreview } from '../target.js';

/** Pages per file a warm-up model holds at most. */
const WARM_MAX_PAGES = 1024;

/** The single-writer models to warm up on: one per distinct configuration, in the sweep's order. */
export function warmModels(preview: SweepPreview): ModelConfig[] {
  const { configs } = preview;
  return configs
    .filter(
      (c, i) =>
        configs.findIndex(
          (d) =>
            d.workload === c.workload && d.journal === c.journal && d.strategy === c.strategy && d.preset === c.preset,
        ) === i,
    )
    .map((c) => preview.model(c, 1, WARM_MAX_PAGES));
}

/** Milliseconds of warm-up per model on each thread: about a second in all, 5 to 40 ms each. */
export const warmMs = (models: number): number => Math.max(5, Math.min(40, 1000 / models));
