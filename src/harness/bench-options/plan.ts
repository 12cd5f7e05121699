/**
 * The plan group: how a configuration's runs are taken. The window and its
 * warm-up (which a target may count in ticks: the virtual target's are whole
 * ticks, so every window sees as many per-tick transactions), how many runs
 * (`--runs N|auto`, `--target-ci`, `--max-runs`), in which order (`--order`,
 * `--seed`), which slice of which sweep (`--shard`, `--sweep-id`), and what
 * a failure does (`--keep-going`, `--watchdog`).
 */
import { ADAPTIVE_DEFAULTS, type StoppingRule } from '../../analysis/adaptive.js';
import { CONVERGED_WINDOW_TICKS, tickMsOf } from '../../model/config.js';
import { VIRTUAL_SWEEP } from '../../targets/virtual/defaults.js';
import {
  flagOption,
  oneOfOption,
  optionGroup,
  parseIntIn,
  parseNonNegative,
  parsePositive,
  valueOption,
  type OptionValues,
  type Resolved,
} from '../args/index.js';
import { listAlternatives, quote, UsageError } from '../errors.js';
import { RUN_ORDERS, type RunOrder } from '../run-order.js';
import { parseShard } from '../shard.js';
import type { SchedulerVars } from '../shard-auto.js';
import { DEFAULTS, quickOf, sweepOf } from './defaults.js';

const RUN_PLAN_DEFAULTS = {
  order: 'interleaved', // drift spreads over every configuration instead of biasing the first or last
  seed: 1, // the same order every time unless asked for another
} as const satisfies { order: RunOrder; seed: number };

const MAX_RUNS = 1000;
const MAX_SEED = 2 ** 32 - 1;
const SWEEP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A window or warm-up default: the target's ticks at the chosen HZ, or the bench's seconds. */
function inTicks(
  got: Resolved,
  ticks: number | undefined,
  quickTicks: number | undefined,
  sec: number,
  quickSec: number,
) {
  const tickSec = tickMsOf(got.hz as number) / 1000;
  if (quickOf(got)) return quickTicks !== undefined ? quickTicks * tickSec : quickSec;
  return ticks !== undefined ? ticks * tickSec : sec;
}

/** `--sweep-id ID`: given by the user, it goes into file names (sweep-id.ts derives one otherwise). */
function parseSweepId(flag: string, raw: string): string {
  if (!SWEEP_ID.test(raw)) {
    throw new UsageError(
      `${flag}: ${quote(raw)} is not allowed; give 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      flag,
    );
  }
  return raw;
}

/** The window's entries (after the model's HZ, which their defaults read). */
function windowEntries() {
  const d = DEFAULTS;
  const qd = d.quick;
  return {
    quick: flagOption({
      name: '--quick',
      help: [
        `A fast sweep (under a minute on 2 cores): threads ${qd.threads.join(',')}, duration ${qd.durationSec},`,
        `warmup ${qd.warmupSec}, runs ${qd.runs}, pages ${qd.pages}; options given explicitly still win.`,
      ],
    }),
    durationSec: valueOption({
      name: '--duration',
      metavar: 'SEC',
      help: [
        `Measured window per run, seconds, > 0 (virtual: seconds of virtual time). Default: ${d.durationSec};`,
        `virtual: ${VIRTUAL_SWEEP.windowTicks} ticks (--quick: ${VIRTUAL_SWEEP.quickWindowTicks}), 1000 / HZ ms each. A window under`,
        `${CONVERGED_WINDOW_TICKS} ticks gets a warning: doubling it may change faults/s by more than 2%.`,
      ],
      parse: (raw, flag) => parsePositive(flag, raw),
      default: (got) =>
        inTicks(got, sweepOf(got).windowTicks, sweepOf(got).quickWindowTicks, d.durationSec, qd.durationSec),
    }),
    warmupSec: valueOption({
      name: '--warmup',
      metavar: 'SEC',
      help: [
        `Unmeasured warm-up before each run, seconds, >= 0. Default: ${d.warmupSec};`,
        `virtual: ${VIRTUAL_SWEEP.warmupTicks} ticks (--quick: ${VIRTUAL_SWEEP.quickWarmupTicks}).`,
      ],
      parse: (raw, flag) => parseNonNegative(flag, raw),
      default: (got) =>
        inTicks(got, sweepOf(got).warmupTicks, sweepOf(got).quickWarmupTicks, d.warmupSec, qd.warmupSec),
    }),
  };
}

/** How many runs, and when --runs auto stops. */
function runsEntries() {
  const { runs, quick } = DEFAULTS;
  return {
    runs: valueOption<number | 'auto'>({
      name: '--runs',
      metavar: 'N',
      help: [
        `Runs per configuration, integer 1 to ${MAX_RUNS}, or auto: repeat until the 95% CI half-width is`,
        `at most --target-ci of the mean, at least ${ADAPTIVE_DEFAULTS.minRuns} and at most --max-runs runs. Default: ${runs} (${quick.runs} with --quick).`,
      ],
      parse: (raw, flag) => {
        // Exactly as written, like every other number: ' 3' and 'auto ' are typos.
        if (raw === 'auto') return 'auto';
        if (!/^[+-]?\d+$/.test(raw))
          throw new UsageError(
            `${flag}: ${quote(raw)} is not allowed; give an integer from 1 to ${MAX_RUNS}, or auto`,
            flag,
          );
        return parseIntIn(flag, raw, 1, MAX_RUNS);
      },
      default: (got) => (got.quick === true ? quick.runs : runs),
    }),
    targetCiPct: valueOption({
      name: '--target-ci',
      metavar: 'PCT',
      help: [
        'Target 95% CI half-width, percent of the mean, > 0 and at most 100: what --runs auto aims for',
        `and what the ci_target_met column tests. Default: ${ADAPTIVE_DEFAULTS.targetPct}.`,
      ],
      parse: (raw, flag) => parsePositive(flag, raw.replace(/%$/, ''), 100),
      default: () => ADAPTIVE_DEFAULTS.targetPct,
    }),
    maxRuns: valueOption({
      name: '--max-runs',
      metavar: 'N',
      help: [
        `Most runs --runs auto takes of one configuration, integer ${ADAPTIVE_DEFAULTS.minRuns} to ${MAX_RUNS}. Default: ${ADAPTIVE_DEFAULTS.maxRuns}.`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, ADAPTIVE_DEFAULTS.minRuns, MAX_RUNS),
      default: () => ADAPTIVE_DEFAULTS.maxRuns,
    }),
  };
}

/** In which order, and which slice of which sweep; `vars`, the environment `--shard auto` reads. */
function orderEntries(vars: SchedulerVars) {
  return {
    order: oneOfOption<RunOrder>(RUN_ORDERS, RUN_PLAN_DEFAULTS.order, {
      name: '--order',
      metavar: 'NAME',
      help: [
        `Run order: ${listAlternatives(RUN_ORDERS)}. Default: ${RUN_PLAN_DEFAULTS.order}.`,
        '  interleaved: rounds of one run of every unfinished configuration, in a fresh seeded random order each round;',
        '  sequential: every run of a configuration before the next one.',
      ],
    }),
    seed: valueOption({
      name: '--seed',
      metavar: 'N',
      help: [`Seed of the interleaved order, integer 0 to ${MAX_SEED}. Default: ${RUN_PLAN_DEFAULTS.seed}.`],
      parse: (raw, flag) => parseIntIn(flag, raw, 0, MAX_SEED),
      default: () => RUN_PLAN_DEFAULTS.seed,
    }),
    shard: valueOption({
      name: '--shard',
      metavar: 'K/N|auto',
      help: [
        'Run only the K-th of N disjoint slices of the configurations (merge the CSVs with npm run merge). Default: all.',
        "  auto: K and N from a Slurm job array (SLURM_ARRAY_TASK_ID, counted from the array's first task) or a",
        '  Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with JOB_COMPLETIONS set to the completion count).',
      ],
      parse: (raw, flag) => parseShard(flag, raw, vars),
      default: () => null,
    }),
    sweepId: valueOption<string | null>({
      name: '--sweep-id',
      metavar: 'ID',
      help: [
        'The sweep_id every row carries, so merge can tell the shards of one sweep: 1 to 64 letters, digits, ., _ or -.',
        'Default: a hash of the plan (target, machine, profile, configurations, thread counts, runs, seed, window, settings).',
      ],
      parse: (raw, flag) => parseSweepId(flag, raw),
      default: () => null,
    }),
  };
}

/** What a failed or hung run does. */
function failureEntries() {
  return {
    keepGoing: flagOption({
      name: '--keep-going',
      help: ['After a configuration fails, go on with the next one (exit status is still 1).'],
    }),
    watchdogSec: valueOption({
      name: '--watchdog',
      metavar: 'SEC',
      help: [
        'Abort a run when no writer has stored anything for SEC seconds, printing the lock and journal state.',
        'Default: the larger of 10 and 5 × (warmup + duration).',
      ],
      parse: (raw, flag) => parsePositive(flag, raw),
      // Several windows without a single store is a hang, not a slow run.
      default: (got) => Math.max(10, 5 * ((got.warmupSec as number) + (got.durationSec as number))),
    }),
  };
}

export function planOptions(vars: SchedulerVars = {}) {
  return optionGroup('Run plan', { ...windowEntries(), ...runsEntries(), ...orderEntries(vars), ...failureEntries() });
}

type PlanValues = OptionValues<ReturnType<typeof planOptions>['options']>;

/** The plan as the sweep reads it: --runs and --max-runs resolved into a count and a stopping rule, the sweep named. */
export type RunPlan = Omit<PlanValues, 'runs' | 'maxRuns' | 'sweepId'> & {
  /** Runs per configuration, integer >= 1 (max 1000); under --runs auto, the most a configuration may take. */
  readonly runs: number;
  /** --runs auto: when to stop repeating a configuration; null for a fixed number of runs. */
  readonly adaptive: StoppingRule | null;
  /** Names the sweep in every row (--sweep-id, or a hash of the plan: sweep-id.ts). */
  readonly sweepId: string;
};

/** The parsed group as RunPlan, but for its sweep id; `maxRunsGiven` is --max-runs' text when it was on the command line. */
export function resolveRunPlan(v: PlanValues, maxRunsGiven: string | null): Omit<RunPlan, 'sweepId'> {
  if (maxRunsGiven !== null && v.runs !== 'auto') {
    throw new UsageError(
      `--max-runs: ${quote(maxRunsGiven)} applies only with --runs auto; add --runs auto or drop it`,
      '--max-runs',
    );
  }
  const { runs, maxRuns, sweepId: _given, ...rest } = v;
  const auto = runs === 'auto';
  return {
    ...rest,
    runs: auto ? maxRuns : runs,
    adaptive: auto ? { targetPct: v.targetCiPct, minRuns: ADAPTIVE_DEFAULTS.minRuns, maxRuns } : null,
  };
}
