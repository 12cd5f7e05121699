/**
 * The bench's resolved options (every field required, as the sweep reads
 * them) and the defaults they start from; options.ts parses into them.
 */
import type { ClientName } from '../model/client.js';
import type { FsPresetName } from '../model/fs-presets.js';
import type { JournalName } from '../model/journals/index.js';
import type { LockChoice } from '../model/locks/kinds.js';
import type { CostProfile } from '../model/profiles.js';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategies/index.js';
import type { WorkloadName } from '../model/workloads.js';
import type { TargetName } from '../targets/index.js';
import type { WriterMode } from '../targets/target.js';
import type { Hardware } from '../targets/virtual/hardware.js';
import type { HardwareName } from '../targets/virtual/hardware-presets.js';
import type { RunPlan } from './run-plan-options.js';

/** The run plan's fields (runs, adaptive, targetCiPct, order, seed, shard) are RunPlan's. */
export interface BenchOptions extends RunPlan {
  threads: number[]; // sorted ascending, unique
  strategies: StrategyName[]; // in STRATEGY_NAMES order
  /** Filesystem presets (--preset), in FS_PRESET_NAMES order; empty: the journal/strategy/lock/time-gran options instead. */
  presets: FsPresetName[];
  journals: JournalName[]; // in JOURNAL_NAMES order
  workloads: WorkloadName[]; // in WORKLOAD_NAMES order
  lock: LockChoice;
  /** A built-in profile name, `host`, or a profile file's path. */
  profile: string;
  /** The profile it names, loaded and checked. */
  costProfile: CostProfile;
  durationSec: number; // measured window per run
  warmupSec: number; // >= 0
  pages: number; // pages per file, integer 1..1048576
  timeScale: number; // model seconds per kernel second, (0, 1]
  /** CONFIG_HZ of the modelled kernel (--hz). */
  hz: number;
  tickMs: number; // coarse clock tick in model ms: 1000 / hz
  observerIntervalMs: number; // >= 0, 0 = observer off
  msyncEvery: number; // integer >= 0, 0 = never
  timeGranNs: number; // s_time_gran, integer 1..1e9
  client: ClientName;
  csvPath: string; // resolved path
  jsonPath: string | null;
  /** Markdown summary path, or null. */
  markdownPath?: string | null;
  /** Where `--save-baseline NAME` copies the results (results/baselines/NAME.csv under the user's directory), or null. */
  baselinePath?: string | null;
  /** HTML report path (next to the CSV), or null. */
  reportPath: string | null;
  quick: boolean;
  /** Overwrite existing result files. */
  force: boolean;
  /** Go on with the next configuration after one fails. */
  keepGoing: boolean;
  /** Abort a run when no writer has stored anything for this long, seconds. */
  watchdogSec: number;
  target: TargetName;
  /** Seed of a configuration's first simulated run. */
  seed: number;
  /** Where the kernel target creates its files. */
  dir: string;
  /** The hardware preset's name (--hardware). */
  hardwareName: HardwareName;
  /** The machine a simulating target runs on: the preset, with --topology applied; the default preset for other targets (unused). */
  hardware: Hardware;
  /** Runs a simulating target takes at once (--jobs). */
  jobs: number;
  /** Writers as threads of this process, or (kernel target) one process each. */
  mode: WriterMode;
  /** The arguments the sweep was started with (after the command name), for the rows' command_line; none when built in code. */
  argv?: readonly string[];
  /** Names the sweep in every row (--sweep-id, or a hash of the plan: sweep-id.ts). */
  sweepId: string;
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
