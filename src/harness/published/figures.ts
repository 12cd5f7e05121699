/**
 * Published many-core figures that faultscale's virtual target can be set
 * beside, each with its source, the value published, the tolerance declared
 * before the model's figure was first looked at, the bench runs that give the
 * model's figure, and how the figure is read off their rows. The model's
 * figure is never an input: nothing in a preset, profile or hardware preset
 * was chosen from these values (docs/validation.md keeps the parameter log).
 */
import type { Row } from '../../rows/rows.js';

/** A bench command line (after `faultscale bench`), less the output and seed options the runner adds. */
export type BenchRun = readonly string[];

/** What a figure's rows give: the model's value and a few words on where its time goes. */
export interface ModelFigure {
  readonly value: number;
  /** Spread across seeds, when the runs of one row differ more than the table's precision: [min, max]. */
  readonly range?: readonly [number, number];
  readonly detail: string;
}

export interface PublishedFigure {
  readonly id: string;
  /** What was published, in a few words. */
  readonly claim: string;
  readonly source: string;
  readonly published: number;
  /** How the figure compares: `near` (|model − published| ≤ tolerance) or `at-least` (model ≥ published − tolerance). */
  readonly compare: 'near' | 'at-least';
  readonly tolerance: number;
  /** The runs whose rows give the model's figure, per HZ where the figure depends on the tick. */
  readonly runs: (hz: number) => BenchRun[];
  /** The model's figure from those runs' rows (ok rows only) and each row's faults/s run by run. */
  readonly model: (rows: readonly Row[], perRun: (r: Row) => readonly number[]) => ModelFigure;
  /** Whether the figure is computed once per HZ of --hz. */
  readonly perHz: boolean;
}

const VIRTUAL = ['--target', 'virtual', '--hardware', 'westmere-ex-8s'] as const;

/** The row of a preset (or journal/strategy/lock) at a thread count. */
function find(
  rows: readonly Row[],
  want: Partial<Pick<Row, 'preset' | 'journal' | 'strategy' | 'lock'>> & { threads: number },
): Row {
  const r = rows.find(
    (x) =>
      x.threads === want.threads &&
      (want.preset === undefined || x.preset === want.preset) &&
      (want.journal === undefined || x.journal === want.journal) &&
      (want.strategy === undefined || x.strategy === want.strategy) &&
      (want.lock === undefined || x.lock === want.lock),
  );
  if (r === undefined) throw new Error(`no measured row for ${JSON.stringify(want)}`);
  return r;
}

/**
 * Waits on the journals' spinlocks as a share of all CPU time: what a profile
 * shows under _raw_spin_lock. In 3.11 j_state_lock (rwlock) and xc_cil_lock
 * (the hot lock), j_list_lock and the buffer-state bit lock spin; the page
 * lock, xc_ctx_lock and XFS's ILOCK sleep, and the grant heads are cmpxchg
 * loops, which a profile charges to xlog_grant_add_space, not to a lock.
 */
const SPINLOCK_SHARES = ['hot_lock_wait_share', 'list_lock_wait_share', 'buffer_lock_wait_share'] as const;
export const lockWaitShare = (r: Row): number =>
  SPINLOCK_SHARES.reduce((a, c) => a + (Number.isFinite(r[c]) ? r[c] : 0), 0);

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const waits = (r: Row): string =>
  `${r.preset || r.journal}: spinlocks ${pct(lockWaitShare(r))}, grant-head cmpxchg ${pct(r.grant_lock_wait_share)}, ctx ${pct(r.ctx_lock_wait_share)}, lines ${pct(r.line_wait_share)}`;

/** Commits per second a row's writers made: each transaction is one commit of the log's (xfs_trans_commit) in Chinner's sense. */
const txnsPerSec = (r: Row): number => r.faults_per_sec_mean * r.txns_per_fault;

const PRESETS_2013 = (hz: number): BenchRun[] => [
  [...VIRTUAL, '--preset', 'ext3-2013,ext4-2013,xfs-2013', '--threads', '160', '--hz', String(hz), '--runs', '1'],
];
const HANSEN =
  'Dave Hansen, "page fault scalability (ext3, ext4, xfs)", linux-kernel, 14-15 Aug 2013: 8 sockets, 80 cores, 160 threads, will-it-scale page_fault3_processes';
const CHINNER =
  'Dave Chinner, "xfs: CIL scalability" series, linux-xfs 2021, and the pull request for 5.20 (8 Jul 2022): global CIL about 700,000 transaction commits a second at 16 threads, 32 threads no faster; per-CPU CIL over 1.4M';
/** A run of the 2021 XFS CIL under eager-iversion, with the hot lock `lock`. */
const cilRun = (journals: string, lock: 'mcs' | 'ticket', threads: string, runs: string): BenchRun => [
  ...VIRTUAL,
  '--journal',
  journals,
  '--strategy',
  'eager-iversion',
  '--lock',
  lock,
  '--threads',
  threads,
  '--runs',
  runs,
];
const CIL_RUNS = (): BenchRun[] => [cilRun('xfs-cil,xfs-cil-percpu', 'mcs', '16,32', '1')];
const TICKET_RUNS = (): BenchRun[] => [cilRun('xfs-cil', 'ticket', '48', '5'), cilRun('xfs-cil', 'mcs', '48', '5')];

/** One of Hansen's ratios: a 2013 preset's faults/s over ext3-2013's at 160 processes, ±0.1, at each HZ. */
function hansenRatio(id: string, claim: string, preset: 'ext4-2013' | 'xfs-2013', published: number): PublishedFigure {
  return {
    id,
    claim,
    source: HANSEN,
    published,
    compare: 'near',
    tolerance: 0.1,
    perHz: true,
    runs: PRESETS_2013,
    model: (rows) => {
      const ext3 = find(rows, { preset: 'ext3-2013', threads: 160 });
      const fs = find(rows, { preset, threads: 160 });
      return { value: fs.faults_per_sec_mean / ext3.faults_per_sec_mean, detail: `${waits(fs)}; ${waits(ext3)}` };
    },
  };
}

type CilRow = { journal: 'xfs-cil' | 'xfs-cil-percpu'; threads: 16 | 32 };

/**
 * One of Chinner's CIL figures: `next`'s commits a second over `base`'s, from
 * CIL_RUNS, ±tolerance; the detail gives both rates (joined by `words`) and
 * where `next` waits (under `label`).
 */
function cilRatio(
  id: string,
  claim: string,
  published: number,
  tolerance: number,
  base: CilRow,
  next: CilRow & { words: string; label: string },
): PublishedFigure {
  return {
    id,
    claim,
    source: CHINNER,
    published,
    compare: 'near',
    tolerance,
    perHz: false,
    runs: CIL_RUNS,
    model: (rows) => {
      const a = find(rows, { journal: base.journal, threads: base.threads });
      const b = find(rows, { journal: next.journal, threads: next.threads });
      return {
        value: txnsPerSec(b) / txnsPerSec(a),
        detail: `${(txnsPerSec(a) / 1e6).toFixed(2)}M ${next.words} ${(txnsPerSec(b) / 1e6).toFixed(2)}M commits/s; ${next.label}: ${waits(b)}`,
      };
    },
  };
}

export const PUBLISHED_FIGURES: readonly PublishedFigure[] = [
  hansenRatio('2013 ext4 / ext3', 'ext4 about 20% slower than ext3 at 160 processes', 'ext4-2013', 0.8),
  hansenRatio('2013 XFS / ext3', 'XFS about 30% slower than ext3 at 160 processes', 'xfs-2013', 0.7),
  {
    id: "2013 XFS's extra spinning",
    claim:
      '_raw_spin_lock 2.93% of cycles on ext4, 15.42% on XFS (perf), blamed on xfs_log_commit_cil: 12.5 points more',
    source: HANSEN,
    published: 0.1249,
    compare: 'near',
    tolerance: 0.05,
    perHz: true,
    runs: PRESETS_2013,
    model: (rows) => {
      const ext4 = find(rows, { preset: 'ext4-2013', threads: 160 });
      const xfs = find(rows, { preset: 'xfs-2013', threads: 160 });
      return {
        value: lockWaitShare(xfs) - lockWaitShare(ext4),
        detail: `spinlock waits' share of CPU time: XFS ${pct(lockWaitShare(xfs))}, ext4 ${pct(lockWaitShare(ext4))}; XFS also waits ${pct(xfs.grant_lock_wait_share)} in grant-head cmpxchg loops and ${pct(xfs.ctx_lock_wait_share)} on xc_ctx_lock`,
      };
    },
  },
  cilRatio(
    'global CIL, 32 / 16 threads',
    'the global CIL plateaus: 32 threads commit no faster than 16',
    1.0,
    0.2,
    { journal: 'xfs-cil', threads: 16 },
    { journal: 'xfs-cil', threads: 32, words: 'and', label: 'at 32' },
  ),
  cilRatio(
    'per-CPU / global CIL, 32 threads',
    'the per-CPU CIL doubles commits at 32 threads (about 700k to over 1.4M a second)',
    2.0,
    0.5,
    { journal: 'xfs-cil', threads: 32 },
    { journal: 'xfs-cil-percpu', threads: 32, words: 'to', label: 'per-CPU' },
  ),
  {
    id: 'MCS / collapsed ticket lock, 48 cores',
    claim: 'MCS locks give at least 3.5 times the throughput where ticket spinlocks collapse (48-core AMD)',
    source:
      'Boyd-Wickizer, Kaashoek, Morris, Zeldovich, "Non-scalable locks are dangerous", Linux Symposium 2012 (the ticket hand-off model, c·k/2, is also an input of the model)',
    published: 3.5,
    compare: 'at-least',
    tolerance: 0.9,
    perHz: false,
    runs: TICKET_RUNS,
    model: (rows, perRun) => {
      const t = find(rows, { lock: 'ticket', threads: 48 });
      const m = find(rows, { lock: 'mcs', threads: 48 });
      // A collapsed ticket lock is metastable: each seed's run gives its own ratio, so the figure is their median and range.
      const ratios = perRun(t)
        .map((x) => m.faults_per_sec_mean / x)
        .sort((a, b) => a - b);
      const seeds = perRun(t)
        .map((x) => `${(x / 1e6).toFixed(2)}M`)
        .join(', ');
      return {
        value: ratios[ratios.length >> 1] ?? NaN,
        range: [ratios[0] ?? NaN, ratios[ratios.length - 1] ?? NaN],
        detail: `ticket by seed: ${seeds}; MCS ${(m.faults_per_sec_mean / 1e6).toFixed(2)}M (cv ${m.cv.toFixed(3)})`,
      };
    },
  },
];

/** Whether a model figure is inside the declared tolerance of the published one. */
export function withinTolerance(f: PublishedFigure, model: number): boolean {
  return f.compare === 'near'
    ? Math.abs(model - f.published) <= f.tolerance + 1e-12
    : model >= f.published - f.tolerance - 1e-12;
}
