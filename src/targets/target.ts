/**
 * A target is what a sweep measures: the model kernel on real threads, this
 * machine's kernel through the native addon, or another machine of the
 * model's. The sweep and the coordinator call a target only through this
 * interface, so neither knows which one runs.
 *
 * Per run a target says which roles run beside the writers (services), how
 * much of each file shared memory holds, which resources each writer gets
 * (files) and how the run is checked once every worker stopped; per sweep,
 * which configurations it can run and what it adds to every row.
 */
import type { ModelConfig, ServiceRole } from '../model/config.js';
import type { FsPresetName } from '../model/fs-presets.js';
import type { LockClass } from '../model/layout.js';
import type { StalenessWindow } from '../model/staleness.js';
import type { Snapshot } from '../model/state.js';
import type { JournalName } from '../model/journals/index.js';
import type { StrategyName } from '../model/strategies/index.js';
import type { WorkloadName } from '../model/workloads.js';

/** will-it-scale's two flavours: writers as threads of one process, or one process (address space) each. */
export const WRITER_MODES = ['threads', 'processes'] as const;
export type WriterMode = (typeof WRITER_MODES)[number];

/** One configuration of a sweep, before it is resolved into a ModelConfig. */
export interface SweepConfig {
  readonly workload: WorkloadName;
  readonly journal: JournalName;
  readonly strategy: StrategyName;
  readonly threads: number;
  /** The filesystem preset (--preset) that chose journal, strategy, lock and time granularity; absent without one. */
  readonly preset?: FsPresetName;
}

/** What a sweep asks of a target, from the resolved options. */
export interface SweepLists {
  readonly workloads: readonly WorkloadName[];
  readonly journals: readonly JournalName[];
  readonly strategies: readonly StrategyName[];
  readonly threads: readonly number[];
}

/** What a target adds to every row it produces. */
export interface TargetFacts {
  /** `uname -r` where a real kernel ran; empty for a model. */
  readonly kernelVersion: string;
  /** Filesystem type and mount options of the directory a real kernel wrote in; empty for a model. */
  readonly fsType: string;
  readonly mountOptions: string;
}

/** How a row names a configuration: a real kernel has one journal (its filesystem) and one strategy (its own). */
export interface RowIdentity {
  readonly journal: string;
  readonly strategy: string;
  readonly lock: string;
}

/** What one run holds beyond shared memory: per-writer resources, released when the run ends. */
export interface RunResources {
  /** Indexed by file (config.ts fileOfWriter maps a writer to its file). */
  readonly fds: readonly number[];
  close(): void;
}

/** Share of all CPU time spent waiting, by what was waited for (targets that measure it: virtual). */
export interface WaitShares {
  /** Cache-line transfers outside lock hand-offs: queueing at the line plus the transfer itself. */
  readonly line: number;
  readonly locks: Readonly<Record<LockClass, number>>;
}

/** One run's measurements, whichever way the target ran it. */
export interface RunSample {
  /** Seconds the measured window lasted (virtual seconds for a simulated run). */
  readonly elapsedSec: number;
  readonly faultsPerSec: number;
  readonly perThreadFaultsPerSec: number[];
  /** Share of all cores' time spent idle during the window. */
  readonly idleShare: number;
  /** Counter and lock-statistic deltas over the window. */
  readonly window: Snapshot;
  /** Whole-run totals after the final sync (warm-up and wind-down included). */
  readonly final: Snapshot;
  /** Sampled stores made during the window and how long each stayed invisible; null without an observer. */
  readonly staleness: StalenessWindow | null;
  /** Where the CPUs' time went, for targets that measure it. */
  readonly waits?: WaitShares;
}

export interface RunTiming {
  readonly warmupSec: number;
  readonly durationSec: number;
}

/** What a target that runs a whole run itself returns: the sample and the invariants the final state broke. */
export interface TargetRun {
  readonly sample: RunSample;
  readonly violations: string[];
}

export interface Target {
  readonly name: string;
  /** One line saying why this target cannot run here, or null when it can. */
  unavailable(): string | null;
  /** The configurations of a sweep this target runs, in order. */
  configurations(lists: SweepLists): SweepConfig[];
  /** Lines the sweep prints before the first run (what is measured, what is skipped). */
  notes(lists: SweepLists): string[];
  readonly facts: TargetFacts;
  /** Roles beside the writers. */
  services(journal: JournalName, observerIntervalMs: number): ServiceRole[];
  /** The time scale its rows record for a requested one: the model's is that one; a real kernel's time is real (1). */
  timeScale(requested: number): number;
  /** How its writers run: 'threads' (every writer a thread of this process) or 'processes' (each in its own). */
  readonly mode: WriterMode;
  /** Pages of each file kept in shared memory, for `pages` pages per file. */
  sharedPages(pages: number): number;
  /** Whether a pool thread should run the model's JIT warm-up before this target's runs. */
  readonly warmsModel: boolean;
  /** Whether rows report real minor faults per store (getrusage). */
  readonly countsMinorFaults: boolean;
  /** The progress line's name for a configuration. */
  label(c: SweepConfig, cfg: ModelConfig): string;
  identity(c: SweepConfig, cfg: ModelConfig): RowIdentity;
  /** Resources for one run, before any worker starts; throws a RunError when they cannot be had. */
  open(cfg: ModelConfig): RunResources;
  /** After every worker stopped: bring the state to rest and return the broken invariants (none: []). */
  settle(sab: SharedArrayBuffer, cfg: ModelConfig): string[];
  /**
   * A target that simulates a whole run itself (in virtual time) instead of
   * on one thread per CPU; the coordinator calls it in place of its threads
   * path. `seed` makes the run reproducible.
   */
  run?(cfg: ModelConfig, timing: RunTiming, seed: number): Promise<TargetRun>;
  /** How many runs `run` takes at once (its pool's threads); 1 when absent. Only a target whose figures do not depend on what else runs may take more. */
  readonly parallelRuns?: number;
  /** Work-loop units per profile nanosecond, when the target fixes it (virtual time: 1); otherwise calibrated. */
  readonly unitsPerNs?: number;
  /** Release what the target holds across runs (a pool of its own). */
  close?(): Promise<void>;
}
