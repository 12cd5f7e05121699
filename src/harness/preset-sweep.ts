/**
 * What filesystem presets change in a sweep: each preset's journal and
 * strategy pick its configurations, and its lock kind, timestamp
 * granularity and fault path replace the sweep-wide ones (the fault path
 * otherwise follows the journal) in those configurations.
 */
import { FS_PRESETS, type FsPresetName } from '../model/fs-presets.js';
import type { FaultPathName } from '../model/fault-paths.js';
import type { LockChoice } from '../model/locks/kinds.js';
import type { SweepConfig, SweepLists, Target } from '../targets/target.js';

/** The configurations of a sweep: the target's own, or per preset the ones with its journal and strategy, marked with it. */
export function sweepConfigurations(
  target: Target,
  lists: SweepLists,
  presets: readonly FsPresetName[],
): SweepConfig[] {
  if (presets.length === 0) return target.configurations(lists);
  return presets.flatMap((name) => {
    const p = FS_PRESETS[name];
    return target
      .configurations({ ...lists, journals: [p.journal], strategies: [p.strategy] })
      .map((c) => ({ ...c, preset: name }));
  });
}

/** The settings a configuration's preset fixes, to spread over the sweep-wide ones; none without a preset. */
export function presetSettings(c: SweepConfig): { lock?: LockChoice; timeGranNs?: number; faultPath?: FaultPathName } {
  if (c.preset === undefined) return {};
  const p = FS_PRESETS[c.preset];
  return { lock: p.lock, timeGranNs: p.timeGranNs, faultPath: p.faultPath };
}
