/**
 * One result row per configuration: the CSV schema, documented column by
 * column (docs/reference/columns.md is generated from it), and the typed `Row` it
 * defines: a text column holds a string, every other column a number (NaN
 * where nothing was measured; written as an empty cell).
 *
 * Each column has a role: `key` columns identify a configuration (two rows
 * with equal keys measured the same thing, so compare pairs them and a file
 * holds each key once), `context` columns say where, when and with what build
 * it ran (Google Benchmark's `context`), and the rest are the measurement and
 * how it was taken (`measurement`).
 */
import { JOURNAL_NAMES } from '../model/journals/index.js';

/** The journals' names as the docs write a choice: `a`, `b` or `c`. */
const JOURNAL_CHOICES = JOURNAL_NAMES.map((n) => `\`${n}\``)
  .join(', ')
  .replace(/, ([^,]*)$/, ' or $1');

type Unit =
  'text' | 'count' | 'faults/s' | 'per second' | 'ratio' | 'ms' | 's' | 'per fault' | 'per acquisition' | 'tasks';

/** What a column is for: identifying a configuration, recording the context it ran in, or a figure. */
export const COLUMN_ROLES = ['key', 'context', 'measurement'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** What became of a configuration: measured, failed (a run threw or broke an invariant), or cut short by a signal. */
export const ROW_STATUSES = ['ok', 'failed', 'interrupted'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export const COLUMNS = [
  [
    'target',
    'text',
    "What was measured: `model` (the simulated kernel), `kernel` (this machine's kernel, through the native addon) or `virtual` (the model on virtual CPUs in virtual time).",
    'key',
  ],
  [
    'mode',
    'text',
    "How the writers ran, as will-it-scale's two flavours: `threads` (every writer a thread of one process) or `processes` (kernel target with `--mode processes`: one process per writer, each with its own address space). Always `threads` for the model.",
    'key',
  ],
  [
    'kernel_version',
    'text',
    'Kernel release of the machine that ran the sweep (`uname -r`): the kernel measured for the kernel target, the host of the simulation for the others.',
    'context',
  ],
  ['fs_type', 'text', 'Kernel target: filesystem type of `--dir` (from /proc/self/mountinfo); empty for the model.'],
  [
    'mount_options',
    'text',
    'Kernel target: mount and superblock options of that filesystem; empty for the model.',
    'key',
  ],
  ['workload', 'text', '`separate-file` (page_fault3), `shared-file` or `rewrite`.', 'key'],
  ['journal', 'text', `Journal model: ${JOURNAL_CHOICES}; for the kernel target, the filesystem type.`, 'key'],
  ['lock', 'text', 'Kind of lock used for the journal hot lock (`auto` resolved).', 'key'],
  [
    'strategy',
    'text',
    "Timestamp / i_version strategy (see the strategy table); `kernel` for the kernel target (the filesystem's own).",
    'key',
  ],
  [
    'preset',
    'text',
    "Filesystem preset (`--preset`) that chose this row's journal, strategy, lock and time granularity; empty when none was used.",
    'key',
  ],
  ['profile', 'text', 'Cost profile, as `name@version`.', 'key'],
  [
    'hardware',
    'text',
    'Virtual target: the simulated machine (`--hardware`); empty for targets that run on this machine.',
    'key',
  ],
  ['topology', 'text', 'Virtual target: its sockets x cores per socket x threads per core; empty otherwise.', 'key'],
  [
    'seed',
    'count',
    "Seed of the configuration's first run (run r used seed + r - 1): the virtual target's start skew and tie-breaks, every target's interleaved run order.",
    'context',
  ],
  ['threads', 'count', 'Writer threads (simulated CPUs storing into mappings); service threads not included.', 'key'],
  ['service_threads', 'count', 'Background threads beside the writers (timer, flusher, committer, observer).'],
  ['runs', 'count', 'Runs aggregated into this row.'],
  ['faults_per_sec_mean', 'faults/s', 'Mean over runs of write faults per second, all writers together.'],
  ['faults_per_sec_median', 'faults/s', 'Median over runs.'],
  ['faults_per_sec_stddev', 'faults/s', 'Sample standard deviation over runs (0 with one run).'],
  [
    'faults_per_sec_ci95_low',
    'faults/s',
    'Lower end of the 95% confidence interval of the mean (Student t); empty with one run.',
  ],
  ['faults_per_sec_ci95_high', 'faults/s', 'Upper end of that interval; empty with one run.'],
  ['ci95_halfwidth_share', 'ratio', 'Half-width of the 95% interval divided by the mean.'],
  [
    'ci_target_met',
    'count',
    '1 when that half-width share is at most the `--target-ci` target (default 2%), else 0; under `--runs auto` 0 means the configuration stopped at `--max-runs` first.',
  ],
  ['cv', 'ratio', 'Coefficient of variation: stddev / mean.'],
  [
    'outlier_runs',
    'count',
    'Runs whose faults/s has a modified z-score, 0.6745 (x − median) / MAD, beyond ±3.5 (Iglewicz and Hoaglin); they stay in every figure of the row.',
  ],
  ['per_thread_faults_per_sec', 'faults/s', 'Mean faults per second of one writer (mean / threads).'],
  [
    'per_thread_min_share',
    'ratio',
    "Slowest writer's rate over the mean writer's rate, averaged over runs (1 = fair).",
  ],
  [
    'stores_per_sec',
    'per second',
    "Mean over runs of user stores per second, all writers together: the application's write rate. Equals faults/s in page_fault3; far above it in `rewrite`, where most stores do not fault.",
  ],
  ['speedup', 'ratio', 'Mean over the 1-thread mean of the same series; empty when 1 thread was not measured.'],
  ['efficiency', 'ratio', 'speedup / threads (1 = linear scaling).'],
  ['linear_faults_per_sec', 'faults/s', "1-thread mean × threads: will-it-scale's `linear` column."],
  ['idle_share', 'ratio', "Share of all cores' time idle during the measured window (from /proc/stat via os.cpus)."],
  [
    'oversubscribed',
    'count',
    '1 when the writers alone outnumber the cores, else 0 (service threads mostly sleep); always 0 for the virtual target, whose CPUs are simulated.',
  ],
  ['txns_per_fault', 'per fault', 'Journal transactions (handles) started per fault.'],
  ['time_updates_per_sec', 'per second', 'Inode timestamp changes per second.'],
  ['iversion_bumps_per_sec', 'per second', 'i_version increments per second.'],
  ['commits_per_sec', 'per second', 'Journal commits (jbd2 commits, CIL pushes) per second.'],
  ['pages_written_per_sec', 'per second', 'Pages written back by the flusher per second.'],
  ['msyncs_per_sec', 'per second', 'msync(MS_ASYNC) calls per second, all writers (`--msync-every`).'],
  [
    'shootdown_ipis_per_sec',
    'per second',
    'TLB shoot-down interrupts the writers took per second: one per live PTE another CPU write-protected (writeback, a query walk, msync in shared-file).',
  ],
  [
    'minor_faults_per_store',
    'ratio',
    'Kernel target: real minor page faults (getrusage) per store; 1 means every store faulted. Empty for the model.',
  ],
  [
    'refaults_per_sec',
    'per second',
    'Stores that faulted a second time because writeback write-protected the page as they landed.',
  ],
  ['polls_per_sec', 'per second', 'Observer getattr calls per second.'],
  [
    'staleness_p50_sec',
    's',
    'Median time from a sampled store to the poll that noticed it, in kernel seconds (model time / time_scale). Empty without an observer or when nothing was noticed.',
  ],
  ['staleness_p99_sec', 's', '99th percentile of that time, kernel seconds.'],
  ['staleness_max_sec', 's', 'Longest such time, kernel seconds.'],
  ['staleness_p50_ms', 'ms', 'Median staleness in model milliseconds (as measured, no scaling).'],
  ['staleness_p99_ms', 'ms', '99th percentile staleness, model milliseconds.'],
  ['staleness_max_ms', 'ms', 'Longest staleness, model milliseconds.'],
  [
    'unnoticed_stores',
    'count',
    'Stores per run that no poll had noticed when the run ended (sampled stores × sampling period).',
  ],
  ['unnoticed_share', 'ratio', 'Share of sampled stores never noticed.'],
  [
    'staleness_samples',
    'count',
    'Sampled stores made inside the measured windows (one store in every 256 per writer), all runs.',
  ],
  [
    'samples_dropped',
    'count',
    'Sampled stores made inside the measured windows that were dropped because the observer had fallen a whole ring (8192 samples per writer) behind, all runs; the staleness figures leave them out, and the summary marks those figures.',
  ],
  ['observer_cpu_share', 'ratio', "Observer's busy time over the window, as a share of all cores."],
  [
    'hot_lock_acq_per_fault',
    'per fault',
    'Acquisitions of the journal hot lock (j_state_lock or xc_cil_lock) per fault.',
  ],
  ['hot_lock_contended_share', 'ratio', 'Share of hot-lock acquisitions that found it taken.'],
  ['hot_lock_spins_per_acq', 'per acquisition', 'Back-off rounds per hot-lock acquisition.'],
  ['hot_lock_parks_per_acq', 'per acquisition', 'Sleeps (Atomics.wait) per hot-lock acquisition.'],
  [
    'locks_contended_share',
    'ratio',
    'Contended share over all lock classes (hot, list, buffer, inode, page, ctx, grant).',
  ],
  ['locks_parks_per_fault', 'per fault', 'Sleeps in any lock per fault.'],
  [
    'line_wait_share',
    'ratio',
    'Virtual target: share of all CPU time (writers and services, over the window) spent waiting for cache-line transfers, queueing at the line included; empty for the other targets.',
  ],
  [
    'hot_lock_wait_share',
    'ratio',
    'Virtual target: share of all CPU time spent waiting for the journal hot lock (j_state_lock or xc_cil_lock), hand-offs included; empty for the other targets.',
  ],
  ['list_lock_wait_share', 'ratio', 'Virtual target: the same for j_list_lock.'],
  ['buffer_lock_wait_share', 'ratio', 'Virtual target: the same for the buffer-state locks.'],
  ['inode_lock_wait_share', 'ratio', 'Virtual target: the same for the inode locks (i_lock, ILOCK).'],
  ['page_lock_wait_share', 'ratio', 'Virtual target: the same for the page locks.'],
  ['ctx_lock_wait_share', 'ratio', 'Virtual target: the same for xc_ctx_lock.'],
  [
    'grant_lock_wait_share',
    'ratio',
    'Virtual target: the same for the XFS grant head; a compare-and-swap loop, not a lock, so its cost shows in line_wait_share and this stays 0.',
  ],
  ['duration_sec', 's', 'Measured window of each run.'],
  ['warmup_sec', 's', 'Warm-up before each window (not counted).'],
  ['pages', 'count', 'Pages (4 KiB) per file.', 'key'],
  ['time_scale', 'ratio', 'Model seconds per kernel second (5 s writeback interval = 5 × time_scale s).', 'key'],
  [
    'hz',
    'count',
    "The modelled kernel's CONFIG_HZ (`--hz`); empty for the kernel target, whose tick is its own.",
    'key',
  ],
  ['tick_ms', 'ms', 'Coarse clock tick in model time (jiffy): 1000 / hz.', 'key'],
  ['observer_interval_ms', 'ms', 'Observer poll interval; 0 = no observer.', 'key'],
  ['msync_every', 'count', 'Stores between two msync(MS_ASYNC) calls of each writer; 0 = never.', 'key'],
  ['time_gran_ns', 'count', 'Timestamp granularity (s_time_gran) in nanoseconds.', 'key'],
  [
    'client',
    'text',
    'What the observer compares: `nfsv4` (the change attribute) or `nfsv3` (mtime, ctime, size).',
    'key',
  ],
  ['cores', 'count', 'Cores of the machine (os.availableParallelism).', 'context'],
  [
    'harness_version',
    'text',
    'faultscale build that produced the row: the package version, `+` the short git commit, `.dirty` when tracked files differed from it (e.g. `0.1.0+30a095a.dirty`); the package version alone outside a git checkout.',
    'context',
  ],
  ['git_commit', 'text', 'Full git commit of the faultscale checkout that ran; empty outside a checkout.', 'context'],
  [
    'git_dirty',
    'count',
    '1 when tracked files of that checkout differed from the commit, 0 when not; empty outside a checkout.',
    'context',
  ],
  ['node_version', 'text', 'Node.js version.', 'context'],
  ['host', 'text', 'Host name of the machine that ran the sweep (os.hostname).', 'context'],
  ['cpu_model', 'text', 'Its CPU model, as the kernel names it (os.cpus).', 'context'],
  [
    'cpu_cores',
    'count',
    'Its physical cores, all sockets (from sysfs; the logical CPUs when sysfs says nothing).',
    'context',
  ],
  ['cpu_threads', 'count', 'Its logical CPUs (hardware threads), all sockets.', 'context'],
  [
    'load_avg_1m',
    'tasks',
    "One-minute load average when the sweep started: runnable tasks, a busy machine's warning.",
    'context',
  ],
  [
    'command_line',
    'text',
    'The command that ran the sweep, as `faultscale bench` and its arguments, shell-quoted (the same sweep as `npm run bench --` with them).',
    'context',
  ],
  ['started_at', 'text', 'When the sweep started (ISO 8601, UTC); every row of one sweep has the same.', 'context'],
  ['timestamp', 'text', 'When the row was measured (ISO 8601, UTC).', 'context'],
  [
    'sweep_id',
    'text',
    'The sweep the row belongs to: `--sweep-id`, or the first 12 hex digits of a SHA-256 of the plan (target, machine, profile, configurations, thread counts, runs, seed, window and settings), the same on every node that runs a shard of it.',
    'context',
  ],
  [
    'shard',
    'text',
    'Which slice of the sweep ran in this process, as `K/N` (`--shard`); `1/1` for a sweep run whole.',
    'context',
  ],
  [
    'sweep_configurations',
    'count',
    'Configurations in the whole sweep, every shard together: what merge counts to tell a complete set of shards, and a whole shard file, from a partial one.',
    'context',
  ],
  [
    'status',
    'text',
    '`ok` (measured), `failed` (a run failed: its numeric cells are empty) or `interrupted` (a signal stopped the sweep during this configuration: numeric cells empty). Analyses read only `ok` rows.',
  ],
  ['error', 'text', 'Why the configuration failed or was interrupted, on one line; empty when `ok`.'],
] as const satisfies readonly (
  readonly [string, Unit, string] | readonly [string, Unit, string, Exclude<ColumnRole, 'measurement'>]
)[];

type Column = (typeof COLUMNS)[number];
/** A column's role: the table's fourth element, `measurement` where it has none. */
export const roleOf = (c: readonly [string, Unit, string] | readonly [string, Unit, string, ColumnRole]): ColumnRole =>
  c[3] ?? 'measurement';
type KeyOf<C> = C extends readonly [infer N, Unit, string, 'key'] ? N : never;
type ContextOf<C> = C extends readonly [infer N, Unit, string, 'context'] ? N : never;
/** Columns that identify a configuration, in table order. */
export type KeyColumn = KeyOf<Column>;
export type ContextColumn = ContextOf<Column>;
export const KEY_COLUMNS = COLUMNS.filter((c) => roleOf(c) === 'key').map((c) => c[0]) as readonly KeyColumn[];
/** Columns that record where, when and with what build a row was measured, in table order. */
export const CONTEXT_COLUMNS = COLUMNS.filter((c) => roleOf(c) === 'context').map(
  (c) => c[0],
) as readonly ContextColumn[];
export type ColumnName = Column[0];
/** Columns whose cells are text; every other column holds a number. */
export type TextColumn = Extract<Column, readonly [string, 'text', ...unknown[]]>[0];
export type NumberColumn = Exclude<ColumnName, TextColumn>;

export type Row = { [C in Exclude<TextColumn, 'status'>]: string } & { [C in NumberColumn]: number } & {
  status: RowStatus;
};

export const COLUMN_NAMES: readonly ColumnName[] = COLUMNS.map((c) => c[0]);
const TEXT = new Set<string>(COLUMNS.filter((c) => c[1] === 'text').map((c) => c[0]));
export const isTextColumn = (name: string): name is TextColumn => TEXT.has(name);

/** Whether a row was measured: status `ok` (a record without a status, as from before the column, counts as measured). */
export const isMeasured = (r: { readonly status?: unknown }): boolean => r.status === undefined || r.status === 'ok';
/** Only the measured rows: what every analysis reads. */
export const okRows = <R extends { readonly status?: unknown }>(rows: readonly R[]): R[] => rows.filter(isMeasured);
