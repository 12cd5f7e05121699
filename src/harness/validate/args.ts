/**
 * Options of `npm run validate:virtual`, and the bench command lines it runs
 * for each side (the bench's own parser and sweep then do the rest).
 */
import {
  alsoWriteOption,
  csvDirOption,
  flagOption,
  helpOption,
  optionHelp,
  parseCommandLine,
  parseIntIn,
  parseNames,
  parsePositive,
  parseThreads,
  valueOption,
} from '../args/index.js';
import { Errors, UsageError, listAlternatives } from '../errors.js';
import { JOURNAL_NAMES, type JournalName } from '../../model/journals/index.js';
import { PROFILE_NAMES, loadProfile } from '../../model/profiles.js';
import { STRATEGY_NAMES, type StrategyName } from '../../model/strategies/index.js';
import type { Side } from './table.js';

export interface ValidateOptions {
  /** Thread counts (= virtual CPUs), each at most the cores here. */
  readonly threads: number[];
  /** Strategies besides `none`, which is always run as the reference. */
  readonly strategies: StrategyName[];
  readonly journals: JournalName[];
  readonly profile: string;
  readonly durationSec: number | null;
  readonly runs: number | null;
  readonly quick: boolean;
  /** Where the two sides' CSVs are kept; null: a temporary directory, removed afterwards. */
  readonly outDir: string | null;
  /** Where the table is also written as JSON; null: nowhere. */
  readonly jsonPath: string | null;
}

export type ValidateParse = { kind: 'help'; text: string } | { kind: 'run'; options: ValidateOptions };

export const VALIDATE_DEFAULTS = { threads: [1, 2], journals: ['jbd2'] as JournalName[], profile: 'default' } as const;

/**
 * What both sides run alike, so the only difference is threads against
 * virtual CPUs: kernel intervals at their real length, the observer at NFS's
 * acregmin (3 s, never inside a window here), HZ 250, and a window of whole
 * ticks long enough for real threads to settle (50 ticks; --quick 10).
 */
export const VALIDATE_TIMING = {
  timeScale: 1,
  observerIntervalMs: 3000,
  hz: 250,
  windowTicks: 50,
  warmupTicks: 10,
  quickWindowTicks: 10,
  quickWarmupTicks: 5,
  quickRuns: 2,
} as const;

function validateOptions(env: { cores: number; cwd: string }) {
  return {
    threads: valueOption({
      name: '--threads',
      metavar: 'LIST',
      help: [
        `Thread counts (real threads for the model, virtual CPUs for the virtual target): N, A-B or max, each at most the ${env.cores} cores here.`,
        `Default: ${VALIDATE_DEFAULTS.threads.join(',')}.`,
      ],
      parse: (raw, flag) => {
        const t = parseThreads(flag, raw, env.cores);
        const over = t.find((n) => n > env.cores);
        if (over !== undefined) {
          throw new UsageError(
            `${flag}: ${over} is more than the ${env.cores} cores here; the real-thread side needs a core per thread, so each count must be at most ${env.cores}`,
            flag,
          );
        }
        return t;
      },
      default: () => [...VALIDATE_DEFAULTS.threads].filter((n) => n <= env.cores),
    }),
    strategies: valueOption({
      name: '--strategy',
      metavar: 'LIST',
      help: [`Strategies compared with none: ${listAlternatives([...STRATEGY_NAMES, 'all'])}. Default: all.`],
      parse: (raw, flag) => parseNames(flag, raw, STRATEGY_NAMES).filter((s) => s !== 'none'),
      default: () => STRATEGY_NAMES.filter((s) => s !== 'none'),
    }),
    journals: valueOption({
      name: '--journal',
      metavar: 'LIST',
      help: [
        `Journals: ${listAlternatives([...JOURNAL_NAMES, 'all'])}. Default: ${VALIDATE_DEFAULTS.journals.join(',')}.`,
      ],
      parse: (raw, flag) => parseNames(flag, raw, JOURNAL_NAMES),
      default: () => [...VALIDATE_DEFAULTS.journals],
    }),
    profile: valueOption({
      name: '--profile',
      metavar: 'NAME',
      help: [
        `Cost profile both sides use: ${listAlternatives([...PROFILE_NAMES, 'host'])}, or a file. Default: ${VALIDATE_DEFAULTS.profile}.`,
      ],
      parse: (raw, flag) => {
        try {
          loadProfile(raw, env.cwd);
        } catch (e) {
          throw Errors.badProfile(flag, raw, [...PROFILE_NAMES, 'host'], (e as Error).message);
        }
        return raw;
      },
      default: () => VALIDATE_DEFAULTS.profile as string,
    }),
    durationSec: valueOption<number | null>({
      name: '--duration',
      metavar: 'SEC',
      help: [
        `Measured window per run, > 0, the same on both sides. Default: ${VALIDATE_TIMING.windowTicks} ticks at HZ ${VALIDATE_TIMING.hz}.`,
      ],
      parse: (raw, flag) => parsePositive(flag, raw),
      default: () => null,
    }),
    runs: valueOption<number | null>({
      name: '--runs',
      metavar: 'N',
      help: ["Runs per configuration, 1 to 1000. Default: the bench's."],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, 1000),
      default: () => null,
    }),
    outDir: csvDirOption(
      env.cwd,
      "Keep the two sides' CSVs (model.csv, virtual.csv) in DIR. Default: a temporary directory, removed.",
    ),
    jsonPath: alsoWriteOption(
      '--json',
      env.cwd,
      'Also write the table as JSON to PATH (each line: workload, journal, threads, strategy, model, virtual, gap). Default: none.',
    ),
    quick: flagOption({
      name: '--quick',
      help: [
        `Windows of ${VALIDATE_TIMING.quickWindowTicks} ticks and ${VALIDATE_TIMING.quickRuns} runs (explicit --duration and --runs still win).`,
      ],
    }),
    help: helpOption(['Show this help and exit.']),
  };
}

export function validateHelp(cores: number): string {
  return [
    'Usage: faultscale validate [--threads LIST] [--strategy LIST] [--journal LIST] [--profile NAME] [--quick]',
    '       (or npm run validate:virtual -- ...)',
    '',
    'Runs the real-thread model and the virtual target (--hardware this-host) with the same cost profile',
    'and prints, per strategy and thread count, both throughputs relative to none and the gap between them.',
    '',
    ...optionHelp(validateOptions({ cores, cwd: '.' }), { kind: 'column', width: 17 }),
    '',
    'Exit status: 0 both sides ran, 1 a configuration failed, 2 bad input, 130 / 143 interrupted by SIGINT / SIGTERM.',
  ].join('\n');
}

export function parseValidateArgs(argv: readonly string[], env: { cores: number; cwd: string }): ValidateParse {
  const parsed = parseCommandLine(validateOptions(env), argv);
  if (parsed.kind === 'help') return { kind: 'help', text: validateHelp(env.cores) };
  const v = parsed.values;
  if (v.threads.length === 0)
    throw new UsageError('--threads: this machine has no core to run a thread on', '--threads');
  return {
    kind: 'run',
    options: {
      threads: v.threads,
      strategies: v.strategies,
      journals: v.journals,
      profile: v.profile,
      durationSec: v.durationSec,
      runs: v.runs,
      quick: v.quick,
      outDir: v.outDir,
      jsonPath: v.jsonPath,
    },
  };
}

/** The bench command line one side runs: the same sweep and timing on both, the virtual side on this host's calibrated machine. */
export function sideArgs(side: Side, o: ValidateOptions, csv: string): string[] {
  const t = VALIDATE_TIMING;
  const tickSec = 1 / t.hz;
  const window = o.durationSec ?? (o.quick ? t.quickWindowTicks : t.windowTicks) * tickSec;
  const warmup = (o.quick ? t.quickWarmupTicks : t.warmupTicks) * tickSec;
  const args = [
    '--target',
    side,
    '--threads',
    o.threads.join(','),
    '--strategy',
    ['none', ...o.strategies].join(','),
    '--journal',
    o.journals.join(','),
    '--profile',
    o.profile,
    '--time-scale',
    String(t.timeScale),
    '--observer-interval',
    String(t.observerIntervalMs),
    '--hz',
    String(t.hz),
    '--duration',
    String(window),
    '--warmup',
    String(warmup),
    '--csv',
    csv,
    '--force',
  ];
  if (side === 'virtual') args.push('--hardware', 'this-host');
  const runs = o.runs ?? (o.quick ? t.quickRuns : null);
  if (runs !== null) args.push('--runs', String(runs));
  return args;
}
