/**
 * The bench's defaults, and what every group's defaults read: the
 * environment, the target's sweep defaults and --quick's.
 */
import { STRATEGY_NAMES } from '../../model/strategies/index.js';
import { TARGETS, type SweepDefaults, type TargetName } from '../../targets/index.js';
import type { SchedulerVars } from '../shard-auto.js';

export interface BenchEnv {
  readonly cores: number;
  readonly now: Date;
  readonly cwd: string;
  /** The environment `--shard auto` reads (a scheduler's task index); none when absent. */
  readonly vars?: SchedulerVars;
}

/** Shared memory one run may use: far below what V8 and this machine allow, and Int32 indexes stay exact. */
export const MAX_SHARED_BYTES = 2 * 1024 ** 3;

export const DEFAULTS = {
  // Thread counts are not constant: see defaultThreads(cores).
  strategies: STRATEGY_NAMES, // compare every strategy unless told otherwise
  journals: ['jbd2'], // ext4's journal: the case the strategies were designed around
  workloads: ['separate-file'], // page_fault3: contention only in the journal, not the inode
  lock: 'auto', // each journal's hot lock uses the kind the kernel uses
  profile: 'default', // realistic relative costs; 'zero' measures the harness only
  durationSec: 3, // long enough for several journal commits per run
  warmupSec: 1, // lets the work loop and caches settle before measuring
  runs: 5, // enough for a median and a spread
  pages: 32768, // 128 MiB of 4 KiB pages per file, as in will-it-scale page_fault3
  timeScale: 0.01, // one kernel second models 10 ms, so commit intervals come round often
  hz: 250, // Debian, Ubuntu and SUSE kernels of 2013 (docs/parameters.md); --hz 1000 for Red Hat's
  observerIntervalMs: 10, // a getattr poller stat()ing often enough to matter for multigrain
  csvDir: 'results', // default CSV goes to <cwd>/results/faultscale-<timestamp>.csv
  // --quick: a whole default sweep in under a minute on 2 cores.
  quick: { threads: [1, 2], durationSec: 0.3, warmupSec: 0.1, runs: 3, pages: 4096 },
} as const;

type Got = Readonly<Record<string, unknown>>;

/** The target's sweep limits and defaults (the target option comes first, so it is resolved by now). */
export const sweepOf = (got: Got): SweepDefaults => TARGETS[(got.target as TargetName | undefined) ?? 'model'].sweep;

/** --quick's defaults when --quick was given, else undefined. */
export const quickOf = (got: Got) => (got.quick === true ? DEFAULTS.quick : undefined);
