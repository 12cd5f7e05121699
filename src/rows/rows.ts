/**
 * One result row per (workload, journal, strategy, threads): the CSV schema,
 * documented column by column (docs/reference/columns.md is generated from it), and
 * the typed `Row` it defines: a text column holds a string, every other column
 * a number (NaN where nothing was measured; written as an empty cell).
 */

export const HARNESS_VERSION = '0.1.0';

type Unit = 'text' | 'count' | 'faults/s' | 'per second' | 'ratio' | 'ms' | 's' | 'per fault' | 'per acquisition';

/** What became of a configuration: measured, failed (a run threw or broke an invariant), or cut short by a signal. */
export const ROW_STATUSES = ['ok', 'failed', 'interrupted'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export const COLUMNS = [
  ['target', 'text', 'What was measured: `model` (the simulated kernel), `kernel` (this machine\'s kernel, through the native addon) or `virtual` (the model on virtual CPUs in virtual time).'],
  ['mode', 'text', "How the writers ran, as will-it-scale's two flavours: `threads` (every writer a thread of one process) or `processes` (kernel target with `--mode processes`: one process per writer, each with its own address space). Always `threads` for the model."],
  ['kernel_version', 'text', 'Kernel target: `uname -r` of the machine; empty for the model.'],
  ['fs_type', 'text', 'Kernel target: filesystem type of `--dir` (from /proc/self/mountinfo); empty for the model.'],
  ['mount_options', 'text', 'Kernel target: mount and superblock options of that filesystem; empty for the model.'],
  ['workload', 'text', '`separate-file` (page_fault3), `shared-file` or `rewrite`.'],
  ['journal', 'text', 'Journal model: `jbd2`, `xfs-cil`, `xfs-cil-percpu` or `none`; for the kernel target, the filesystem type.'],
  ['lock', 'text', 'Kind of lock used for the journal hot lock (`auto` resolved).'],
  ['strategy', 'text', 'Timestamp / i_version strategy (see the strategy table); `kernel` for the kernel target (the filesystem\'s own).'],
  ['preset', 'text', 'Filesystem preset (`--preset`) that chose this row\'s journal, strategy, lock and time granularity; empty when none was used.'],
  ['profile', 'text', 'Cost profile, as `name@version`.'],
  ['hardware', 'text', 'Virtual target: the simulated machine (`--hardware`); empty for targets that run on this machine.'],
  ['topology', 'text', 'Virtual target: its sockets x cores per socket x threads per core; empty otherwise.'],
  ['seed', 'count', "Seed of the configuration's first run (run r used seed + r - 1): the virtual target's start skew and tie-breaks, every target's interleaved run order."],
  ['threads', 'count', 'Writer threads (simulated CPUs storing into mappings); service threads not included.'],
  ['service_threads', 'count', 'Background threads beside the writers (timer, flusher, committer, observer).'],
  ['runs', 'count', 'Runs aggregated into this row.'],
  ['faults_per_sec_mean', 'faults/s', 'Mean over runs of write faults per second, all writers together.'],
  ['faults_per_sec_median', 'faults/s', 'Median over runs.'],
  ['faults_per_sec_stddev', 'faults/s', 'Sample standard deviation over runs (0 with one run).'],
  ['faults_per_sec_ci95_low', 'faults/s', 'Lower end of the 95% confidence interval of the mean (Student t); empty with one run.'],
  ['faults_per_sec_ci95_high', 'faults/s', 'Upper end of that interval; empty with one run.'],
  ['ci95_halfwidth_share', 'ratio', 'Half-width of the 95% interval divided by the mean.'],
  ['ci_target_met', 'count', '1 when that half-width share is at most the `--target-ci` target (default 2%), else 0; under `--runs auto` 0 means the configuration stopped at `--max-runs` first.'],
  ['cv', 'ratio', 'Coefficient of variation: stddev / mean.'],
  ['outlier_runs', 'count', "Runs whose faults/s has a modified z-score, 0.6745 (x − median) / MAD, beyond ±3.5 (Iglewicz and Hoaglin); they stay in every figure of the row."],
  ['per_thread_faults_per_sec', 'faults/s', 'Mean faults per second of one writer (mean / threads).'],
  ['per_thread_min_share', 'ratio', 'Slowest writer\'s rate over the mean writer\'s rate, averaged over runs (1 = fair).'],
  ['stores_per_sec', 'per second', 'Mean over runs of user stores per second, all writers together: the application\'s write rate. Equals faults/s in page_fault3; far above it in `rewrite`, where most stores do not fault.'],
  ['speedup', 'ratio', 'Mean over the 1-thread mean of the same series; empty when 1 thread was not measured.'],
  ['efficiency', 'ratio', 'speedup / threads (1 = linear scaling).'],
  ['linear_faults_per_sec', 'faults/s', "1-thread mean × threads: will-it-scale's `linear` column."],
  ['idle_share', 'ratio', 'Share of all cores\' time idle during the measured window (from /proc/stat via os.cpus).'],
  ['oversubscribed', 'count', '1 when the writers alone outnumber the cores, else 0 (service threads mostly sleep); always 0 for the virtual target, whose CPUs are simulated.'],
  ['txns_per_fault', 'per fault', 'Journal transactions (handles) started per fault.'],
  ['time_updates_per_sec', 'per second', 'Inode timestamp changes per second.'],
  ['iversion_bumps_per_sec', 'per second', 'i_version increments per second.'],
  ['commits_per_sec', 'per second', 'Journal commits (jbd2 commits, CIL pushes) per second.'],
  ['pages_written_per_sec', 'per second', 'Pages written back by the flusher per second.'],
  ['msyncs_per_sec', 'per second', 'msync(MS_ASYNC) calls per second, all writers (`--msync-every`).'],
  ['shootdown_ipis_per_sec', 'per second', 'TLB shoot-down interrupts the writers took per second: one per live PTE another CPU write-protected (writeback, a query walk, msync in shared-file).'],
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
  ['samples_dropped', 'count', 'Sampled stores made inside the measured windows that were dropped because the observer had fallen a whole ring (8192 samples per writer) behind, all runs; the staleness figures leave them out, and the summary marks those figures.'],
  ['observer_cpu_share', 'ratio', "Observer's busy time over the window, as a share of all cores."],
  ['hot_lock_acq_per_fault', 'per fault', 'Acquisitions of the journal hot lock (j_state_lock or xc_cil_lock) per fault.'],
  ['hot_lock_contended_share', 'ratio', 'Share of hot-lock acquisitions that found it taken.'],
  ['hot_lock_spins_per_acq', 'per acquisition', 'Back-off rounds per hot-lock acquisition.'],
  ['hot_lock_parks_per_acq', 'per acquisition', 'Sleeps (Atomics.wait) per hot-lock acquisition.'],
  ['locks_contended_share', 'ratio', 'Contended share over all lock classes (hot, list, buffer, inode, page, ctx, grant).'],
  ['locks_parks_per_fault', 'per fault', 'Sleeps in any lock per fault.'],
  ['line_wait_share', 'ratio', 'Virtual target: share of all CPU time (writers and services, over the window) spent waiting for cache-line transfers, queueing at the line included; empty for the other targets.'],
  ['hot_lock_wait_share', 'ratio', 'Virtual target: share of all CPU time spent waiting for the journal hot lock (j_state_lock or xc_cil_lock), hand-offs included; empty for the other targets.'],
  ['list_lock_wait_share', 'ratio', 'Virtual target: the same for j_list_lock.'],
  ['buffer_lock_wait_share', 'ratio', 'Virtual target: the same for the buffer-state locks.'],
  ['inode_lock_wait_share', 'ratio', 'Virtual target: the same for the inode locks (i_lock, ILOCK).'],
  ['page_lock_wait_share', 'ratio', 'Virtual target: the same for the page locks.'],
  ['ctx_lock_wait_share', 'ratio', 'Virtual target: the same for xc_ctx_lock.'],
  ['grant_lock_wait_share', 'ratio', 'Virtual target: the same for the XFS grant head; a compare-and-swap loop, not a lock, so its cost shows in line_wait_share and this stays 0.'],
  ['duration_sec', 's', 'Measured window of each run.'],
  ['warmup_sec', 's', 'Warm-up before each window (not counted).'],
  ['pages', 'count', 'Pages (4 KiB) per file.'],
  ['time_scale', 'ratio', 'Model seconds per kernel second (5 s writeback interval = 5 × time_scale s).'],
  ['hz', 'count', "The modelled kernel's CONFIG_HZ (`--hz`); empty for the kernel target, whose tick is its own."],
  ['tick_ms', 'ms', 'Coarse clock tick in model time (jiffy): 1000 / hz.'],
  ['observer_interval_ms', 'ms', 'Observer poll interval; 0 = no observer.'],
  ['msync_every', 'count', 'Stores between two msync(MS_ASYNC) calls of each writer; 0 = never.'],
  ['time_gran_ns', 'count', 'Timestamp granularity (s_time_gran) in nanoseconds.'],
  ['client', 'text', 'What the observer compares: `nfsv4` (the change attribute) or `nfsv3` (mtime, ctime, size).'],
  ['cores', 'count', 'Cores of the machine (os.availableParallelism).'],
  ['harness_version', 'text', 'faultscale version that produced the row.'],
  ['node_version', 'text', 'Node.js version.'],
  ['timestamp', 'text', 'When the row was measured (ISO 8601, UTC).'],
  ['status', 'text', '`ok` (measured), `failed` (a run failed: its numeric cells are empty) or `interrupted` (a signal stopped the sweep during this configuration: numeric cells empty). Analyses read only `ok` rows.'],
  ['error', 'text', 'Why the configuration failed or was interrupted, on one line; empty when `ok`.'],
] as const satisfies readonly (readonly [string, Unit, string])[];

type Column = (typeof COLUMNS)[number];
export type ColumnName = Column[0];
/** Columns whose cells are text; every other column holds a number. */
export type TextColumn = Extract<Column, readonly [string, 'text', string]>[0];
export type NumberColumn = Exclude<ColumnName, TextColumn>;

export type Row = { [C in Exclude<TextColumn, 'status'>]: string } & { [C in NumberColumn]: number } & { status: RowStatus };

export const COLUMN_NAMES: readonly ColumnName[] = COLUMNS.map((c) => c[0]);
const TEXT = new Set<string>(COLUMNS.filter((c) => c[1] === 'text').map((c) => c[0]));
export const isTextColumn = (name: string): name is TextColumn => TEXT.has(name);

/** Whether a row was measured: status `ok` (a record without a status, as from before the column, counts as measured). */
export const isMeasured = (r: { readonly status?: unknown }): boolean => r.status === undefined || r.status === 'ok';
/** Only the measured rows: what every analysis reads. */
export const okRows = <R extends { readonly status?: unknown }>(rows: readonly R[]): R[] => rows.filter(isMeasured);
