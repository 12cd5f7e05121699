/**
 * The aggregation of a configuration's runs into a result row: the statistics
 * over the runs' samples and the counters' rates. A configuration that did not
 * finish becomes a row too (`unmeasuredRow`), its numbers left unmeasured.
 */
import type { RunSample } from '../targets/target.js';
import { LOCK_CLASSES, SAMPLE_EVERY } from '../model/layout.js';
import { percentile, summarize } from '../analysis/stats.js';
import { COLUMNS, type NumberColumn, type Row, type RowStatus } from '../rows/rows.js';
import type { SweepContext } from './context.js';
import type { ModelOptions } from './bench-options/index.js';

export interface RowContext {
  readonly target: string;
  /** How the writers ran: threads or processes. */
  readonly mode: string;
  /** The target counts real minor faults (getrusage) per writer. */
  readonly countsMinorFaults: boolean;
  /** The writers are real threads or processes, so they can outnumber the cores (not a simulating target's). */
  readonly realWriters: boolean;
  readonly kernelVersion: string;
  readonly fsType: string;
  readonly mountOptions: string;
  readonly workload: string;
  readonly journal: string;
  readonly lock: string;
  readonly strategy: string;
  /** The filesystem preset the configuration came from; absent without one. */
  readonly preset?: string;
  readonly profile: string;
  readonly threads: number;
  readonly serviceThreads: number;
  readonly cores: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  /**
   * The model group as the row records it, each field in the column of its name (snake_case): the time scale
   * the target ran at, HZ NaN where the target's tick is a real kernel's, the preset's time granularity.
   */
  readonly model: ModelOptions;
  /** The simulated machine and its topology; empty for targets that run on this machine. */
  readonly hardware: string;
  readonly topology: string;
  /** Seed of the configuration's first run. */
  readonly seed: number;
  /** Where, when and with what build the sweep ran. */
  readonly sweep: SweepContext;
  /** Runs marked as outliers (analysis/outliers.ts). */
  readonly outlierRuns: number;
  /** 1 when the runs' 95% CI half-width reached the target share of the mean, else 0. */
  readonly ciTargetMet: number;
  /** Mean of the 1-thread row of the same series, when it was measured. */
  readonly baseline: number | null;
  readonly sweepId: string;
  /** `K/N`. */
  readonly shard: string;
  readonly sweepConfigurations: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/** `msyncEvery` → `msync_every`: a setting's column is its field's name. */
type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S;
type SnakeKeys<T> = { [K in keyof T & string as Snake<K>]: T[K] };

/** The object's fields under their column names, in its order. */
function snakeKeys<T extends object>(o: T): SnakeKeys<T> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  ) as SnakeKeys<T>;
}

export function buildRow(ctx: RowContext, samples: readonly RunSample[]): Row {
  const secs = sumOf(samples, (x) => x.elapsedSec);
  const total = (name: keyof RunSample['window']['total']): number => sumOf(samples, (x) => x.window.total[name]);
  return {
    ...settings(ctx),
    ...throughputFigures(ctx, samples),
    ...counterRates(ctx, samples),
    ...stalenessFigures(samples, ctx.model.timeScale),
    // Of the machine the run had: this one's cores, or the virtual target's CPUs (writers and services).
    observer_cpu_share: ratio(
      total('observerBusyUs') / 1e6,
      secs * (ctx.realWriters ? ctx.cores : ctx.threads + ctx.serviceThreads),
    ),
    ...lockFigures(samples, total('faults')),
    ...waitShares(samples),
    status: 'ok',
    error: '',
  };
}

const sumOf = (samples: readonly RunSample[], f: (x: RunSample) => number): number =>
  samples.reduce((acc, x) => acc + f(x), 0);

/** Faults per second over the runs: their statistics, the spread across threads, and the scaling against 1 thread. */
function throughputFigures(ctx: RowContext, samples: readonly RunSample[]) {
  const s = summarize(samples.map((x) => x.faultsPerSec));
  const minShare =
    samples.reduce((acc, x) => {
      const rates = x.perThreadFaultsPerSec;
      const avg = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
      return acc + ratio(Math.min(...rates), avg);
    }, 0) / samples.length;
  const speedup = ctx.baseline && ctx.baseline > 0 ? s.mean / ctx.baseline : NaN;
  return {
    runs: samples.length,
    faults_per_sec_mean: s.mean,
    faults_per_sec_median: s.median,
    faults_per_sec_stddev: s.stddev,
    faults_per_sec_ci95_low: s.ci95Low,
    faults_per_sec_ci95_high: s.ci95High,
    ci95_halfwidth_share: ratio(s.ci95HalfWidth, s.mean),
    ci_target_met: ctx.ciTargetMet,
    cv: s.cv,
    outlier_runs: ctx.outlierRuns,
    per_thread_faults_per_sec: s.mean / ctx.threads,
    per_thread_min_share: minShare,
    stores_per_sec: sumOf(samples, (x) => x.window.total.stores / x.elapsedSec) / samples.length,
    speedup,
    efficiency: speedup / ctx.threads,
    linear_faults_per_sec: ctx.baseline ? ctx.baseline * ctx.threads : NaN,
    idle_share: sumOf(samples, (x) => x.idleShare) / samples.length,
  };
}

/** The window's counters per fault or per second, summed over the runs. */
function counterRates(ctx: RowContext, samples: readonly RunSample[]) {
  const secs = sumOf(samples, (x) => x.elapsedSec);
  const total = (name: keyof RunSample['window']['total']): number => sumOf(samples, (x) => x.window.total[name]);
  const perSec = (name: keyof RunSample['window']['total']): number => ratio(total(name), secs);
  return {
    txns_per_fault: ratio(total('txns'), total('faults')),
    time_updates_per_sec: perSec('timeUpdates'),
    iversion_bumps_per_sec: perSec('iversionBumps'),
    commits_per_sec: perSec('commits'),
    pages_written_per_sec: perSec('pagesWritten'),
    msyncs_per_sec: perSec('msyncs'),
    shootdown_ipis_per_sec: perSec('ipis'),
    minor_faults_per_store: ctx.countsMinorFaults
      ? ratio(
          sumOf(samples, (x) => finalMinorFaults(x)),
          sumOf(samples, (x) => x.final.total.stores),
        )
      : NaN,
    refaults_per_sec: perSec('refaults'),
    polls_per_sec: perSec('polls'),
  };
}

/** The hot lock's acquisitions, contention, spins and parks, and every lock class's together. */
function lockFigures(samples: readonly RunSample[], faults: number) {
  const hot = { acq: 0, contended: 0, spins: 0, parks: 0 };
  let allAcq = 0;
  let allContended = 0;
  let allParks = 0;
  for (const x of samples) {
    for (const cls of LOCK_CLASSES) {
      const l = x.window.locks[cls];
      allAcq += l.acq;
      allContended += l.contended;
      allParks += l.parks;
    }
    hot.acq += x.window.locks.hot.acq;
    hot.contended += x.window.locks.hot.contended;
    hot.spins += x.window.locks.hot.spins;
    hot.parks += x.window.locks.hot.parks;
  }
  return {
    hot_lock_acq_per_fault: ratio(hot.acq, faults),
    hot_lock_contended_share: ratio(hot.contended, hot.acq),
    hot_lock_spins_per_acq: ratio(hot.spins, hot.acq),
    hot_lock_parks_per_acq: ratio(hot.parks, hot.acq),
    locks_contended_share: ratio(allContended, allAcq),
    locks_parks_per_fault: ratio(allParks, faults),
  };
}

/** Mean wait shares over runs, for targets that measure them; empty cells (NaN) otherwise. */
function waitShares(samples: readonly RunSample[]) {
  const measured = samples.length > 0 && samples.every((x) => x.waits);
  const mean = (f: (w: NonNullable<RunSample['waits']>) => number): number =>
    measured ? samples.reduce((acc, x) => acc + f(x.waits!), 0) / samples.length : NaN;
  return {
    line_wait_share: mean((w) => w.line),
    hot_lock_wait_share: mean((w) => w.locks.hot),
    list_lock_wait_share: mean((w) => w.locks.list),
    buffer_lock_wait_share: mean((w) => w.locks.buffer),
    inode_lock_wait_share: mean((w) => w.locks.inode),
    page_lock_wait_share: mean((w) => w.locks.page),
    ctx_lock_wait_share: mean((w) => w.locks.ctx),
    grant_lock_wait_share: mean((w) => w.locks.grant),
  };
}

/** What identifies a row and how it was run: known before any run, so a failed configuration's row has them too. */
function settings(ctx: RowContext) {
  return {
    target: ctx.target,
    mode: ctx.mode,
    fs_type: ctx.fsType,
    mount_options: ctx.mountOptions,
    workload: ctx.workload,
    journal: ctx.journal,
    lock: ctx.lock,
    strategy: ctx.strategy,
    preset: ctx.preset ?? '',
    profile: ctx.profile,
    hardware: ctx.hardware,
    topology: ctx.topology,
    seed: ctx.seed,
    threads: ctx.threads,
    service_threads: ctx.serviceThreads,
    oversubscribed: ctx.realWriters && ctx.threads > ctx.cores ? 1 : 0,
    duration_sec: ctx.durationSec,
    warmup_sec: ctx.warmupSec,
    ...snakeKeys(ctx.model),
    ...ctx.sweep,
    // The host's kernel, unless the target measured a kernel of its own.
    kernel_version: ctx.kernelVersion || ctx.sweep.kernel_version,
    // The cores this sweep was told it has (tests and validation pass their own).
    cores: ctx.cores,
    timestamp: new Date().toISOString(),
    sweep_id: ctx.sweepId,
    shard: ctx.shard,
    sweep_configurations: ctx.sweepConfigurations,
  };
}

/**
 * The row of a configuration that failed or was interrupted: what identifies
 * it and how it was run, `runs` the runs that completed, every measured figure
 * NaN (an empty cell), and why, on one line.
 */
export function unmeasuredRow(ctx: RowContext, status: Exclude<RowStatus, 'ok'>, error: string, runs: number): Row {
  const empty = Object.fromEntries(COLUMNS.filter((c) => c[1] !== 'text').map((c) => [c[0], NaN]));
  return {
    ...(empty as Pick<Row, NumberColumn>),
    ...settings(ctx),
    runs,
    status,
    error: oneLine(error),
  };
}

/** A reason as one line: line breaks become '; ', so the CSV cell and the terminal stay readable. */
export const oneLine = (text: string): string => text.trim().replace(/\s*[\r\n]+\s*/g, '; ');

/** Minor faults over the whole run: the addon publishes the count since its loop began, so the final value is the total. */
const finalMinorFaults = (x: RunSample): number => x.final.total.minorFaults;

/** Staleness columns, pooling the sampled stores of every run. */
function stalenessFigures(samples: readonly RunSample[], timeScale: number) {
  const windows = samples.flatMap((x) => (x.staleness ? [x.staleness] : []));
  const lags = windows.flatMap((w) => w.lagsUs).sort((a, b) => a - b);
  const count = windows.reduce((a, w) => a + w.samples, 0);
  const missed = windows.reduce((a, w) => a + w.unnoticed, 0);
  const ms = (q: number): number => (lags.length > 0 ? percentile(lags, q) / 1000 : NaN);
  const sec = (q: number): number => ms(q) / 1000 / timeScale;
  return {
    staleness_p50_sec: sec(0.5),
    staleness_p99_sec: sec(0.99),
    staleness_max_sec: sec(1),
    staleness_p50_ms: ms(0.5),
    staleness_p99_ms: ms(0.99),
    staleness_max_ms: ms(1),
    unnoticed_stores: windows.length > 0 ? (missed * SAMPLE_EVERY) / windows.length : NaN,
    unnoticed_share: count > 0 ? missed / count : NaN,
    staleness_samples: windows.length > 0 ? count : NaN,
    samples_dropped: windows.length > 0 ? samples.reduce((a, x) => a + x.window.total.samplesDropped, 0) : NaN,
  };
}
