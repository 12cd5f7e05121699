/**
 * The resolved configuration of one run, as every thread sees it. It is a
 * plain object so it can be posted to workers; everything derived from it
 * (layout offsets, loop counts) is computed once by the coordinator.
 */
import { JOURNALS, type JournalName } from './journals/index.js';
import { makeLayout, type Layout } from './layout.js';
import type { LockChoice, LockKind } from './locks/kinds.js';
import { tuningFor, type LockTuning } from './locks/locks.js';
import { DEFAULT_CLIENT, type ClientName } from './client.js';
import type { FaultPathName } from './fault-paths.js';
import type { CostProfile } from './profiles.js';
import type { StrategyName } from './strategies/index.js';
import type { WorkloadName } from './workloads.js';

/** Kernel intervals in kernel seconds; the time scale turns them into model time. */
export const KERNEL_SECONDS = {
  writebackInterval: 5, // dirty_writeback_centisecs = 500
  dirtyExpire: 30, // dirty_expire_centisecs = 3000
  commitInterval: 5, // jbd2 commit interval / xfs log sync
  lazytimeExpire: 24 * 3600, // dirtytime_expire_interval
} as const;

/**
 * CONFIG_HZ choices (kernel/Kconfig.hz): the timer tick, and so the coarse
 * clock's step that file timestamps take. 2013's distribution kernels built
 * 250 (Debian, Ubuntu, SUSE) or 1000 (Red Hat, Fedora); docs/parameters.md
 * gives the configs.
 */
export const HZ_VALUES = [100, 250, 300, 1000] as const;
export type Hz = (typeof HZ_VALUES)[number];
/**
 * Fewest ticks a measured window should hold: with per-tick journal
 * transactions, a shorter window's faults/s may move by more than 2% when
 * the window is doubled (docs/virtual.md, "Windows", gives the measurement).
 */
export const CONVERGED_WINDOW_TICKS = 5;

/** The tick of `hz`, ms. */
export const tickMsOf = (hz: number): number => 1000 / hz;

export type { StepCosts } from './profiles.js';
import type { StepCosts } from './profiles.js';

/**
 * The run settings a caller may leave out, with their defaults: each one is
 * declared here only, and ModelInput, ModelConfig and the bench's model
 * options (ModelSettings) take it from here.
 */
export const MODEL_DEFAULTS = {
  /** Each writer calls msync(MS_ASYNC) on its mapping every this many stores; 0: never (POSIX leaves msync to the application; page_fault3 never calls it). */
  msyncEvery: 0 as number,
  /** s_time_gran: timestamps are truncated to this many nanoseconds (a clock resolution, not time-scaled); 1: ext4 with 256-byte inodes and XFS. */
  timeGranNs: 1 as number,
  /** What the observer compares (see client.ts). */
  client: DEFAULT_CLIENT as ClientName,
};

export type ModelDefaults = Readonly<typeof MODEL_DEFAULTS>;

/** The run settings the bench's model options fill: the defaulted ones, and those every caller gives. */
export interface ModelSettings extends ModelDefaults {
  /** Pages per file. */
  readonly pages: number;
  /** Model seconds per kernel second. */
  readonly timeScale: number;
  /** The coarse clock's tick, model ms (1000 / HZ). */
  readonly tickMs: number;
  /** Interval between the observer's getattr calls, model ms; 0: no observer. */
  readonly observerIntervalMs: number;
}

/** The defaulted settings of `input`: its own where it gives them, else MODEL_DEFAULTS'. */
function defaulted(input: Partial<ModelDefaults>): ModelDefaults {
  return Object.fromEntries(
    Object.entries(MODEL_DEFAULTS).map(([k, v]) => [k, input[k as keyof ModelDefaults] ?? v]),
  ) as unknown as ModelDefaults;
}

export interface ModelConfig extends ModelDefaults {
  /** Pages per file (the model keeps them in shared memory; a target may keep them elsewhere, in real files). */
  readonly filePages: number;
  readonly workload: WorkloadName;
  readonly journal: JournalName;
  readonly strategy: StrategyName;
  /** Whose page_mkwrite a write fault runs (fault-paths.ts). */
  readonly faultPath: FaultPathName;
  readonly lock: LockKind;
  readonly profile: string;
  readonly writers: number;
  readonly services: readonly ServiceRole[];
  readonly layout: Layout;
  readonly tuning: LockTuning;
  /** Work-loop iterations per step (profile nanoseconds × calibrated iterations per ns). */
  readonly units: StepCosts;
  readonly timeScale: number;
  readonly tickUs: number;
  readonly writebackIntervalUs: number;
  readonly dirtyExpireUs: number;
  readonly commitIntervalUs: number;
  readonly lazytimeExpireUs: number;
  /** 0: no observer. */
  readonly observerIntervalUs: number;
}

/** s_time_gran bounds: 1 ns up to whole seconds (ext3 with 128-byte inodes). */
export const MAX_TIME_GRAN_NS = 1_000_000_000;

export type ServiceRole = 'timer' | 'flusher' | 'committer' | 'observer';
export type Role = 'writer' | ServiceRole;

export interface ModelInput extends Partial<ModelDefaults>, Omit<ModelSettings, keyof ModelDefaults> {
  /** Background roles beside the writers; default: the model kernel's own (modelServices). */
  services?: readonly ServiceRole[];
  /** Pages per file kept in shared memory; default `pages` (a target whose pages live elsewhere keeps 1). */
  sharedPages?: number;
  workload: WorkloadName;
  journal: JournalName;
  strategy: StrategyName;
  lock: LockChoice;
  profile: CostProfile;
  writers: number;
  cores: number;
  unitsPerNs: number;
  /** Default: the journal's filesystem (its plugin's faultPath). */
  faultPath?: FaultPathName;
}

export function resolveLock(journal: JournalName, lock: LockChoice): LockKind {
  return lock === 'auto' ? JOURNALS[journal].lock : lock; // the journal's own kind (its module under journals/)
}

/** The model kernel's background machinery: the tick, writeback, the journal thread (if any) and the client. */
export function modelServices(journal: JournalName, observerIntervalMs: number): ServiceRole[] {
  const services: ServiceRole[] = ['timer', 'flusher'];
  if (JOURNALS[journal].committer) services.push('committer');
  if (observerIntervalMs > 0) services.push('observer');
  return services;
}

export function buildConfig(input: ModelInput): ModelConfig {
  const services = [...(input.services ?? modelServices(input.journal, input.observerIntervalMs))];
  // One CPU slot per writer and per service, plus one for the coordinator's final sync.
  const cpus = input.writers + services.length + 1;
  const files = input.workload === 'shared-file' ? 1 : input.writers;
  const layout = makeLayout({ cpus, writers: input.writers, files, pages: input.sharedPages ?? input.pages });
  const { name: _n, version: _v, description: _d, ...ns } = input.profile;
  const units = Object.fromEntries(
    Object.entries(ns).map(([k, v]) => [k, Math.round((v as number) * input.unitsPerNs)]),
  ) as unknown as StepCosts;
  const scaleUs = (kernelSeconds: number): number => Math.max(1, Math.round(kernelSeconds * input.timeScale * 1e6));
  return {
    filePages: input.pages,
    workload: input.workload,
    journal: input.journal,
    strategy: input.strategy,
    faultPath: input.faultPath ?? JOURNALS[input.journal].faultPath,
    lock: resolveLock(input.journal, input.lock),
    profile: input.profile.name,
    writers: input.writers,
    services,
    layout,
    tuning: tuningFor(cpus - 1, input.cores),
    units,
    timeScale: input.timeScale,
    tickUs: Math.max(1, Math.round(input.tickMs * 1000)),
    writebackIntervalUs: scaleUs(KERNEL_SECONDS.writebackInterval),
    dirtyExpireUs: scaleUs(KERNEL_SECONDS.dirtyExpire),
    commitIntervalUs: scaleUs(KERNEL_SECONDS.commitInterval),
    lazytimeExpireUs: scaleUs(KERNEL_SECONDS.lazytimeExpire),
    observerIntervalUs: Math.round(input.observerIntervalMs * 1000),
    ...defaulted(input),
  };
}

/**
 * How long (model µs) a run goes on after its measured window, with every
 * role still running, before it stops: long enough for a store made at the
 * window's very end to meet the writeback (expiry plus a flusher period) and
 * the polls it would have met in mid-run, so a store made late in the window
 * is charged the same future as one made early. After it the writers stop and
 * unmap, the flusher syncs, and the observer polls once more. 0 without an
 * observer: nothing is followed. (The coordinator caps it at the window's
 * length, so a run never takes more than twice its window.)
 */
export function followUpUs(cfg: ModelConfig): number {
  if (cfg.observerIntervalUs <= 0) return 0;
  return cfg.dirtyExpireUs + cfg.writebackIntervalUs + 2 * cfg.observerIntervalUs;
}

/** The file a writer maps and the writers that map a file (the reverse map page_mkclean walks). */
export function fileOfWriter(cfg: Pick<ModelConfig, 'workload'>, writer: number): number {
  return cfg.workload === 'shared-file' ? 0 : writer;
}

export function mappersOfFile(cfg: Pick<ModelConfig, 'workload' | 'writers'>, file: number): number[] {
  return cfg.workload === 'shared-file' ? Array.from({ length: cfg.writers }, (_, w) => w) : [file];
}
