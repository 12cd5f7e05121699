/**
 * One result row per (workload, journal, strategy, threads): the CSV schema,
 * documented column by column (the README's table is generated from it), and
 * the aggregation of a configuration's runs into a row.
 */
import type { RunSample } from '../harness/coordinator.js';
import { csvLine } from './csv.js';
import { LOCK_CLASSES, SAMPLE_EVERY } from '../model/layout.js';
import { percentile, summarize } from '../analysis/stats.js';

export const HARNESS_VERSION = '0.1.0';

type Unit = 'text' | 'count' | 'faults/s' | 'per second' | 'ratio' | 'ms' | 's' | 'per fault' | 'per acquisition';

export const COLUMNS = [
  ['target', 'text', 'What was measured: `model` (the simulated kernel) or `kernel` (this machine\'s kernel, through the native addon).'],
  ['kernel_version', 'text', 'Kernel target: `uname -r` of the machine; empty for the model.'],
  ['fs_type', 'text', 'Kernel target: filesystem type of `--dir` (from /proc/self/mountinfo); empty for the model.'],
  ['mount_options', 'text', 'Kernel target: mount and superblock options of that filesystem; empty for the model.'],
  ['workload', 'text', '`separate-file` (page_fault3), `shared-file` or `rewrite`.'],
  ['journal', 'text', 'Journal model: `jbd2`, `xfs-cil`, `xfs-cil-percpu` or `none`; for the kernel target, the filesystem type.'],
  ['lock', 'text', 'Kind of lock used for the journal hot lock (`auto` resolved).'],
  ['strategy', 'text', 'Timestamp / i_version strategy (see the strategy table); `kernel` for the kernel target (the filesystem\'s own).'],
  ['profile', 'text', 'Cost profile, as `name@version`.'],
  ['threads', 'count', 'Writer threads (simulated CPUs storing into mappings); service threads not included.'],
  ['service_threads', 'count', 'Background threads beside the writers (timer, flusher, committer, observer).'],
  ['runs', 'count', 'Runs aggregated into this row.'],
  ['faults_per_sec_mean', 'faults/s', 'Mean over runs of write faults per second, all writers together.'],
  ['faults_per_sec_median', 'faults/s', 'Median over runs.'],
  ['faults_per_sec_stddev', 'faults/s', 'Sample standard deviation over runs (0 with one run).'],
  ['faults_per_sec_ci95_low', 'faults/s', 'Lower end of the 95% confidence interval of the mean (Student t); empty with one run.'],
  ['faults_per_sec_ci95_high', 'faults/s', 'Upper end of that interval; empty with one run.'],
  ['ci95_halfwidth_share', 'ratio', 'Half-width of the 95% interval divided by the mean.'],
  ['cv', 'ratio', 'Coefficient of variation: stddev / mean.'],
  ['outlier_runs', 'count', "Runs whose faults/s has a modified z-score, 0.6745 (x − median) / MAD, beyond ±3.5 (Iglewicz and Hoaglin); they stay in every figure of the row."],
  ['per_thread_faults_per_sec', 'faults/s', 'Mean faults per second of one writer (mean / threads).'],
  ['per_thread_min_share', 'ratio', 'Slowest writer\'s rate over the mean writer\'s rate, averaged over runs (1 = fair).'],
  ['stores_per_sec', 'per second', 'Mean over runs of user stores per second, all writers together: the application\'s write rate. Equals faults/s in page_fault3; far above it in `rewrite`, where most stores do not fault.'],
  ['speedup', 'ratio', 'Mean over the 1-thread mean of the same series; empty when 1 thread was not measured.'],
  ['efficiency', 'ratio', 'speedup / threads (1 = linear scaling).'],
  ['linear_faults_per_sec', 'faults/s', "1-thread mean × threads: will-it-scale's `linear` column."],
  ['idle_share', 'ratio', 'Share of all cores\' time idle during the measured window (from /proc/stat via os.cpus).'],
  ['oversubscribed', 'count', '1 when the writers alone outnumber the cores, else 0 (service threads mostly sleep).'],
  ['txns_per_fault', 'per fault', 'Journal transactions (handles) started per fault.'],
  ['time_updates_per_sec', 'per second', 'Inode timestamp changes per second.'],
  ['iversion_bumps_per_sec', 'per second', 'i_version increments per second.'],
  ['commits_per_sec', 'per second', 'Journal commits (jbd2 commits, CIL pushes) per second.'],
  ['pages_written_per_sec', 'per second', 'Pages written back by the flusher per second.'],
  ['minor_faults_per_store', 'ratio', 'Kernel target: real minor page faults (getrusage) per store; 1 means every store faulted. Empty for the model.'],
  ['refaults_per_sec', 'per second', 'Stores that faulted a second time because writeback write-protected the page as they landed.'],
  ['polls_per_sec', 'per second', 'Observer getattr calls per second.'],
  ['staleness_p50_sec', 's', 'Median time from a sampled store to the poll that noticed it, in kernel seconds (model time / time_scale). Empty without an observer or when nothing was noticed.'],
  ['staleness_p99_sec', 's', '99th percentile of that time, kernel seconds.'],
  ['staleness_max_sec', 's', 'Longest such time, kernel seconds.'],
  ['staleness_p50_ms', 'ms', 'Median staleness in model milliseconds (as measured, no scaling).'],
  ['staleness_p99_ms', 'ms', '99th percentile staleness, model milliseconds.'],
  ['staleness_max_ms', 'ms', 'Longest staleness, model milliseconds.'],
  ['unnoticed_stores', 'count', 'Stores per run that no poll had noticed when the run ended (sampled stores × sampling period).'],
  ['unnoticed_share', 'ratio', 'Share of sampled stores never noticed.'],
  ['staleness_samples', 'count', 'Sampled stores made inside the measured windows (one store in every 256 per writer), all runs.'],
  ['observer_cpu_share', 'ratio', "Observer's busy time over the window, as a share of all cores."],
  ['hot_lock_acq_per_fault', 'per fault', 'Acquisitions of the journal hot lock (j_state_lock or xc_cil_lock) per fault.'],
  ['hot_lock_contended_share', 'ratio', 'Share of hot-lock acquisitions that found it taken.'],
  ['hot_lock_spins_per_acq', 'per acquisition', 'Back-off rounds per hot-lock acquisition.'],
  ['hot_lock_parks_per_acq', 'per acquisition', 'Sleeps (Atomics.wait) per hot-lock acquisition.'],
  ['locks_contended_share', 'ratio', 'Contended share over all lock classes (hot, list, buffer, inode, page, ctx, grant).'],
  ['locks_parks_per_fault', 'per fault', 'Sleeps in any lock per fault.'],
  ['duration_sec', 's', 'Measured window of each run.'],
  ['warmup_sec', 's', 'Warm-up before each window (not counted).'],
  ['pages', 'count', 'Pages (4 KiB) per file.'],
  ['time_scale', 'ratio', 'Model seconds per kernel second (5 s writeback interval = 5 × time_scale s).'],
  ['tick_ms', 'ms', 'Coarse clock tick in model time (jiffy).'],
  ['observer_interval_ms', 'ms', 'Observer poll interval; 0 = no observer.'],
  ['cores', 'count', 'Cores of the machine (os.availableParallelism).'],
  ['harness_version', 'text', 'faultscale version that produced the row.'],
  ['node_version', 'text', 'Node.js version.'],
  ['timestamp', 'text', 'When the row was measured (ISO 8601, UTC).'],
] as const satisfies readonly (readonly [string, Unit, string])[];

export type ColumnName = (typeof COLUMNS)[number][0];
export type Row = Record<ColumnName, string | number>;

export interface RowContext {
  readonly target: string;
  /** The target counts real minor faults (getrusage) per writer. */
  readonly countsMinorFaults: boolean;
  readonly kernelVersion: string;
  readonly fsType: string;
  readonly mountOptions: string;
  readonly workload: string;
  readonly journal: string;
  readonly lock: string;
  readonly strategy: string;
  readonly profile: string;
  readonly threads: number;
  readonly serviceThreads: number;
  readonly cores: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly pages: number;
  readonly timeScale: number;
  readonly tickMs: number;
  readonly observerIntervalMs: number;
  /** Mean of the 1-thread row of the same series, when it was measured. */
  readonly baseline: number | null;
  /** Runs marked as outliers (analysis/outliers.ts). */
  readonly outlierRuns: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

export function buildRow(ctx: RowContext, samples: readonly RunSample[]): Row {
  const s = summarize(samples.map((x) => x.faultsPerSec));
  const sum = (f: (x: RunSample) => number): number => samples.reduce((acc, x) => acc + f(x), 0);
  const secs = sum((x) => x.elapsedSec);
  const faults = sum((x) => x.window.total.faults);
  const total = (name: keyof RunSample['window']['total']): number => sum((x) => x.window.total[name]);
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
  const minShare =
    samples.reduce((acc, x) => {
      const rates = x.perThreadFaultsPerSec;
      const avg = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
      return acc + ratio(Math.min(...rates), avg);
    }, 0) / samples.length;
  const speedup = ctx.baseline && ctx.baseline > 0 ? s.mean / ctx.baseline : NaN;
  const st = stalenessFigures(samples, ctx.timeScale);
  return {
    target: ctx.target,
    kernel_version: ctx.kernelVersion,
    fs_type: ctx.fsType,
    mount_options: ctx.mountOptions,
    workload: ctx.workload,
    journal: ctx.journal,
    lock: ctx.lock,
    strategy: ctx.strategy,
    profile: ctx.profile,
    threads: ctx.threads,
    service_threads: ctx.serviceThreads,
    runs: samples.length,
    faults_per_sec_mean: s.mean,
    faults_per_sec_median: s.median,
    faults_per_sec_stddev: s.stddev,
    faults_per_sec_ci95_low: s.ci95Low,
    faults_per_sec_ci95_high: s.ci95High,
    ci95_halfwidth_share: ratio(s.ci95HalfWidth, s.mean),
    cv: s.cv,
    outlier_runs: ctx.outlierRuns,
    per_thread_faults_per_sec: s.mean / ctx.threads,
    per_thread_min_share: minShare,
    stores_per_sec: sum((x) => x.window.total.stores / x.elapsedSec) / samples.length,
    speedup,
    efficiency: speedup / ctx.threads,
    linear_faults_per_sec: ctx.baseline ? ctx.baseline * ctx.threads : NaN,
    idle_share: sum((x) => x.idleShare) / samples.length,
    oversubscribed: ctx.threads > ctx.cores ? 1 : 0,
    txns_per_fault: ratio(total('txns'), faults),
    time_updates_per_sec: ratio(total('timeUpdates'), secs),
    iversion_bumps_per_sec: ratio(total('iversionBumps'), secs),
    commits_per_sec: ratio(total('commits'), secs),
    pages_written_per_sec: ratio(total('pagesWritten'), secs),
    minor_faults_per_store: ctx.countsMinorFaults ? ratio(sum((x) => finalMinorFaults(x)), sum((x) => x.final.total.stores)) : NaN,
    refaults_per_sec: ratio(total('refaults'), secs),
    polls_per_sec: ratio(total('polls'), secs),
    ...st,
    observer_cpu_share: ratio(total('observerBusyUs') / 1e6, secs * ctx.cores),
    hot_lock_acq_per_fault: ratio(hot.acq, faults),
    hot_lock_contended_share: ratio(hot.contended, hot.acq),
    hot_lock_spins_per_acq: ratio(hot.spins, hot.acq),
    hot_lock_parks_per_acq: ratio(hot.parks, hot.acq),
    locks_contended_share: ratio(allContended, allAcq),
    locks_parks_per_fault: ratio(allParks, faults),
    duration_sec: ctx.durationSec,
    warmup_sec: ctx.warmupSec,
    pages: ctx.pages,
    time_scale: ctx.timeScale,
    tick_ms: ctx.tickMs,
    observer_interval_ms: ctx.observerIntervalMs,
    cores: ctx.cores,
    harness_version: HARNESS_VERSION,
    node_version: process.version,
    timestamp: new Date().toISOString(),
  };
}

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
  };
}

export const csvHeader = (): string => csvLine(COLUMNS.map((c) => c[0]));
export const csvRow = (row: Row): string => csvLine(COLUMNS.map((c) => row[c[0]]));

/** The README's CSV table, generated so the documentation cannot drift from the schema. */
export function columnsMarkdown(): string {
  const lines = ['| column | unit | meaning |', '| --- | --- | --- |'];
  for (const [name, unit, meaning] of COLUMNS) lines.push(`| \`${name}\` | ${unit} | ${meaning} |`);
  return lines.join('\n');
}
