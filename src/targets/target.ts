/**
 * A target is what a sweep measures: the model kernel on real threads, this
 * machine's kernel through the native addon, or another machine of the
 * model's. The sweep calls a target only through this interface, so it never
 * knows which one runs.
 *
 * Its verb is `run`: one run of one configuration in, one sample out
 * (`prepare` and `close` bracket a sweep's runs). The rest describe it to
 * the sweep: which configurations it runs and how it
 * names them, the model it runs them with (services, shared pages, work
 * units), what it adds to every row, and how many runs it takes at once.
 */
import type { ModelConfig, ServiceRole } from '../model/config.js';
import type { CostProfile } from '../model/profiles.js';
import type { FaultInjection } from '../model/roles.js';
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

/**
 * What a target adds to every row it produces, for the time scale and HZ a
 * sweep asked for: how its writers ran, the real kernel and filesystem it
 * measured, the time and the machine its figures are in.
 */
export interface TargetFacts {
  /** How its writers run: 'threads' (every writer a thread of this process) or 'processes' (each in its own). */
  readonly mode: WriterMode;
  /** `uname -r` where a real kernel ran; empty for a model. */
  readonly kernelVersion: string;
  /** Filesystem type and mount options of the directory a real kernel wrote in; empty for a model. */
  readonly fsType: string;
  readonly mountOptions: string;
  /** Whether rows report real minor faults per store (getrusage). */
  readonly countsMinorFaults: boolean;
  /** The writers are real threads or processes, so they can outnumber the cores (not a simulated machine's CPUs). */
  readonly realWriters: boolean;
  /** The time scale its rows record: the model's is the one asked for; a real kernel's time is real (1). */
  readonly timeScale: number;
  /** CONFIG_HZ of the modelled kernel: the one asked for; NaN where the tick is a real kernel's own. */
  readonly hz: number;
  /** The simulated machine and its topology (sockets x cores x threads); empty where the target runs on this one. */
  readonly hardware: string;
  readonly topology: string;
}

/**
 * How a target names a configuration: in its row (a real kernel has one
 * journal, its filesystem, and one strategy, its own) and on the progress line.
 */
export interface ConfigIdentity {
  readonly journal: string;
  readonly strategy: string;
  readonly lock: string;
  /** The progress line's (and error messages') name for the configuration. */
  readonly label: string;
}

/** What a target may look at before a sweep's first run. */
export interface SweepPreview {
  /** The configurations the sweep will run (this shard's), in order. */
  readonly configs: readonly SweepConfig[];
  /** A configuration's model as the sweep builds it, with `writers` writers and at most `maxPages` pages per file. */
  model(c: SweepConfig, writers: number, maxPages: number): ModelConfig;
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

/** A run's sample and the invariants its final state broke (none: []); `run` reports broken ones as an InvariantError. */
export interface TargetRun {
  readonly sample: RunSample;
  readonly violations: string[];
}

/** One run of one configuration, as a sweep asks it of a target. */
export interface RunRequest {
  readonly cfg: ModelConfig;
  readonly timing: RunTiming;
  /** The run's seed: a simulated run is reproducible from it (default 1); a run on real threads ignores it. */
  readonly seed?: number;
  /** Abort a run on real threads when no writer stores anything for this long; default never. */
  readonly watchdogSec?: number;
  /** Test hook: make one worker fail (see FaultInjection). */
  readonly inject?: FaultInjection | null;
  /** The sweep's interruption (SIGINT, SIGTERM): a run in progress stops and throws an AbortError. */
  readonly signal?: AbortSignal;
}

export interface Target {
  /** Its name in TARGETS, and in its rows' target column. */
  readonly name: string;
  /** One line saying why this target cannot run here, or null when it can. */
  unavailable(): string | null;
  /** The configurations of a sweep this target runs, in order. */
  configurations(lists: SweepLists): SweepConfig[];
  /** Lines the sweep prints before the first run (what is measured, and where). */
  notes(): string[];
  /** What it adds to every row, for the time scale and HZ the sweep asked for. */
  facts(asked: { readonly timeScale: number; readonly hz: number }): TargetFacts;
  /** How rows and the progress line name a configuration. */
  identity(c: SweepConfig, cfg: ModelConfig): ConfigIdentity;
  /** Roles beside the writers. */
  services(journal: JournalName, observerIntervalMs: number): ServiceRole[];
  /** Pages of each file kept in shared memory, for `pages` pages per file. */
  sharedPages(pages: number): number;
  /**
   * Work-loop units per profile nanosecond: fixed where time is virtual (a
   * profile nanosecond is a virtual one); calibrated on this machine, once
   * per call, where a step of `profile` spends real work.
   */
  unitsPerNs(profile: CostProfile): number;
  /**
   * How many runs it takes at once. Only a target whose figures do not depend
   * on what else runs may take more than one (virtual time: a run's figures
   * are its own, whatever runs beside it); real runs go one by one.
   */
  readonly parallelRuns: number;
  /**
   * Before the first run, once per sweep: get ready for its configurations
   * (a target on threads sizes its pool for the largest; the model target
   * also warms each thread's JIT on them).
   */
  prepare(preview: SweepPreview): Promise<void>;
  /**
   * One run: warm-up, measured window, wind-down and the invariant check.
   * Throws a RunError, HangError or InvariantError when the run fails and an
   * AbortError when the request's signal stopped it.
   */
  run(request: RunRequest): Promise<RunSample>;
  /** Release what the target holds across runs (its pool of threads). */
  close(): Promise<void>;
}
