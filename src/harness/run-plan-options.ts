/**
 * The bench options that say how a configuration's runs are taken: how many
 * (`--runs N|auto`, `--target-ci`, `--max-runs`), in which order (`--order`,
 * `--seed`) and which slice of which sweep (`--shard`, `--sweep-id`); entries of the bench's
 * option table (options.ts), and their resolution into BenchOptions fields.
 */
import { ADAPTIVE_DEFAULTS, type StoppingRule } from '../analysis/adaptive.js';
import { parseIntIn, parseOneName, parsePositive, valueOption, type Resolved } from './args/index.js';
import { listAlternatives, quote, UsageError } from './errors.js';
import { RUN_ORDERS, type RunOrder } from './run-order.js';
import { parseShard, type Shard } from './shard.js';
import type { SchedulerVars } from './shard-auto.js';
import { parseSweepId } from './sweep-id-option.js';

export const RUN_PLAN_DEFAULTS = {
  order: 'interleaved', // drift spreads over every configuration instead of biasing the first or last
  seed: 1, // the same order every time unless asked for another
} as const satisfies { order: RunOrder; seed: number };

const MAX_RUNS = 1000;
const MAX_SEED = 2 ** 32 - 1;
/**
 * The table entries, in --help order; `runs` and `quickRuns` are --runs' defaults without and with --quick;
 * `vars`, the environment `--shard auto` reads.
 */
export function runPlanOptions(runs: number, quickRuns: number, vars: SchedulerVars = {}) {
  const defaultRuns = (got: Resolved): number => (got.quick === true ? quickRuns : runs);
  return {
    runs: valueOption<number | 'auto'>({
      name: '--runs',
      metavar: 'N',
      section: 'Timing',
      help: [
        `Runs per configuration, integer 1 to ${MAX_RUNS}, or auto: repeat until the 95% CI half-width is`,
        `at most --target-ci of the mean, at least ${ADAPTIVE_DEFAULTS.minRuns} and at most --max-runs runs. Default: ${runs} (${quickRuns} with --quick).`,
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
      default: defaultRuns,
    }),
    targetCiPct: valueOption({
      name: '--target-ci',
      metavar: 'PCT',
      section: 'Timing',
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
      section: 'Timing',
      help: [
        `Most runs --runs auto takes of one configuration, integer ${ADAPTIVE_DEFAULTS.minRuns} to ${MAX_RUNS}. Default: ${ADAPTIVE_DEFAULTS.maxRuns}.`,
      ],
      parse: (raw, flag) => parseIntIn(flag, raw, ADAPTIVE_DEFAULTS.minRuns, MAX_RUNS),
      default: () => ADAPTIVE_DEFAULTS.maxRuns,
    }),
    order: valueOption({
      name: '--order',
      metavar: 'NAME',
      section: 'Timing',
      help: [
        `Run order: ${listAlternatives(RUN_ORDERS)}. Default: ${RUN_PLAN_DEFAULTS.order}.`,
        '  interleaved: rounds of one run of every unfinished configuration, in a fresh seeded random order each round;',
        '  sequential: every run of a configuration before the next one.',
      ],
      parse: (raw, flag): RunOrder => parseOneName(flag, raw, RUN_ORDERS),
      default: (): RunOrder => RUN_PLAN_DEFAULTS.order,
    }),
    seed: valueOption({
      name: '--seed',
      metavar: 'N',
      section: 'Timing',
      help: [`Seed of the interleaved order, integer 0 to ${MAX_SEED}. Default: ${RUN_PLAN_DEFAULTS.seed}.`],
      parse: (raw, flag) => parseIntIn(flag, raw, 0, MAX_SEED),
      default: () => RUN_PLAN_DEFAULTS.seed,
    }),
    shard: valueOption<Shard | null>({
      name: '--shard',
      metavar: 'K/N|auto',
      section: 'Timing',
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
      section: 'Timing',
      help: [
        'The sweep_id every row carries, so merge can tell the shards of one sweep: 1 to 64 letters, digits, ., _ or -.',
        'Default: a hash of the plan (target, machine, profile, configurations, thread counts, runs, seed, window, settings).',
      ],
      parse: (raw, flag) => parseSweepId(flag, raw),
      default: () => null,
    }),
  };
}

export interface RunPlan {
  /** Runs per configuration, integer >= 1 (max 1000); under --runs auto, the most a configuration may take. */
  runs: number;
  /** --runs auto: when to stop repeating a configuration; null for a fixed number of runs. */
  adaptive: StoppingRule | null;
  /** The CI half-width, percent of the mean, that ci_target_met tests (and --runs auto aims for). */
  targetCiPct: number;
  /** Order of the runs: round-robin in seeded random order, or one configuration after another. */
  order: RunOrder;
  /** Seed of the interleaved order. */
  seed: number;
  /** Run only this slice of the configurations; null for all. */
  shard: Shard | null;
}

/** The parsed values as BenchOptions fields; `maxRunsGiven` is --max-runs' text when it was on the command line. */
export function resolveRunPlan(
  v: {
    runs: number | 'auto';
    targetCiPct: number;
    maxRuns: number;
    order: RunOrder;
    seed: number;
    shard: Shard | null;
  },
  maxRunsGiven: string | null,
): RunPlan {
  if (maxRunsGiven !== null && v.runs !== 'auto') {
    throw new UsageError(
      `--max-runs: ${quote(maxRunsGiven)} applies only with --runs auto; add --runs auto or drop it`,
      '--max-runs',
    );
  }
  const auto = v.runs === 'auto';
  return {
    runs: auto ? v.maxRuns : (v.runs as number),
    adaptive: auto ? { targetPct: v.targetCiPct, minRuns: ADAPTIVE_DEFAULTS.minRuns, maxRuns: v.maxRuns } : null,
    targetCiPct: v.targetCiPct,
    order: v.order,
    seed: v.seed,
    shard: v.shard,
  };
}
