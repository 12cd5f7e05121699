/**
 * The sweep group: what is measured, the lists whose every combination is a
 * configuration (targets read them as SweepLists), and the cost profile.
 * The preset check is here too: a preset fixes journal, strategy, lock and
 * time granularity, so those options beside it are mistakes, as is a target
 * that does not run the model kernel.
 */
import { Errors, UsageError, listAlternatives } from '../errors.js';
import {
  MAX_THREADS,
  defaultThreads,
  oneOfOption,
  optionGroup,
  parseNames,
  parseThreads,
  usableCores,
  valueOption,
  type OptionValues,
} from '../args/index.js';
import { FS_PRESETS, FS_PRESET_NAMES, type FsPresetName } from '../../model/fs-presets.js';
import { JOURNAL_NAMES, type JournalName } from '../../model/journals/index.js';
import { LOCK_KINDS, type LockChoice } from '../../model/locks/kinds.js';
import { HOST_PROFILE_PATH, PROFILES, PROFILE_NAMES, loadProfile, type CostProfile } from '../../model/profiles.js';
import { STRATEGY_NAMES } from '../../model/strategies/index.js';
import { WORKLOADS, WORKLOAD_NAMES, type WorkloadName } from '../../model/workloads.js';
import { MODEL_KERNEL_TARGETS, TARGETS, TARGET_NAMES, type TargetName } from '../../targets/index.js';
import { VIRTUAL_SWEEP } from '../../targets/virtual/defaults.js';
import { DEFAULTS, quickOf, sweepOf, type BenchEnv } from './defaults.js';

const names = (xs: readonly string[], extra?: string): string => listAlternatives(extra ? [...xs, extra] : xs);

export function sweepOptions(env: BenchEnv) {
  return optionGroup('Sweep', { ...targetEntries(env), ...listEntries(env) });
}

/** What is measured, and with how many writers. */
function targetEntries(env: BenchEnv) {
  const cores = usableCores(env.cores);
  return {
    target: oneOfOption<TargetName>(TARGET_NAMES, 'model', {
      name: '--target',
      metavar: 'NAME',
      help: [
        `What to measure: ${names(TARGET_NAMES)}. Default: model.`,
        ...TARGET_NAMES.map((t) => `  ${t}: ${TARGETS[t].about}`),
      ],
    }),
    threads: valueOption({
      name: '--threads',
      metavar: 'LIST',
      help: [
        `Thread counts: comma list of N, A-B (inclusive range) or max (= ${cores}, the cores here); each 1 to ${MAX_THREADS}`,
        `(virtual: to ${VIRTUAL_SWEEP.maxThreads}). Default: ${defaultThreads(cores).join(',')} (powers of two up to the core count, plus the core count);`,
        `virtual: ${VIRTUAL_SWEEP.threads.join(',')} (--quick: ${VIRTUAL_SWEEP.quickThreads.join(',')}).`,
      ],
      parse: (raw, flag, got) => parseThreads(flag, raw, env.cores, sweepOf(got).maxThreads),
      default: (got) => {
        const t = sweepOf(got);
        if (quickOf(got)) return [...(t.quickThreads ?? DEFAULTS.quick.threads)];
        return t.threads ? [...t.threads] : defaultThreads(env.cores);
      },
    }),
  };
}

/** The lists whose combinations are the configurations, the presets that pick them instead, and the cost profile. */
function listEntries(env: BenchEnv) {
  const d = DEFAULTS;
  return {
    strategies: valueOption({
      name: '--strategy',
      metavar: 'LIST',
      help: [`Timestamp-update strategies: ${names(STRATEGY_NAMES, 'all')}.`, 'Default: all.'],
      parse: (raw, flag) => parseNames(flag, raw, STRATEGY_NAMES),
      default: () => [...d.strategies],
    }),
    journals: valueOption({
      name: '--journal',
      metavar: 'LIST',
      help: [`Journals: ${names(JOURNAL_NAMES, 'all')}.`, `Default: ${d.journals.join(',')}.`],
      parse: (raw, flag) => parseNames(flag, raw, JOURNAL_NAMES),
      default: () => [...d.journals] as JournalName[],
    }),
    workloads: valueOption({
      name: '--workload',
      metavar: 'LIST',
      help: [
        `Workloads: ${names(WORKLOAD_NAMES, 'all')}. Default: ${d.workloads.join(',')}.`,
        ...WORKLOAD_NAMES.map((w) => `  ${w}: ${WORKLOADS[w]}`),
      ],
      parse: (raw, flag) => parseNames(flag, raw, WORKLOAD_NAMES),
      default: () => [...d.workloads] as WorkloadName[],
    }),
    lock: oneOfOption<LockChoice>([...LOCK_KINDS, 'auto'], d.lock, {
      name: '--lock',
      metavar: 'NAME',
      help: [
        `Lock kind for the journal's hot lock: ${names(LOCK_KINDS, 'auto')}.`,
        `Default: ${d.lock} (the kind the kernel uses for each journal).`,
      ],
    }),
    presets: valueOption<FsPresetName[]>({
      name: '--preset',
      metavar: 'LIST',
      help: [
        `Filesystem presets: ${listAlternatives([...FS_PRESET_NAMES, 'all'])}; each sets journal, strategy, hot-lock kind,`,
        'time granularity and fault path as that kernel had them (so not with --journal, --strategy, --lock or --time-gran). Default: none.',
        ...FS_PRESET_NAMES.map((p) => `  ${p}: ${FS_PRESETS[p].about}`),
      ],
      parse: (raw, flag) => parseNames(flag, raw, FS_PRESET_NAMES),
      default: () => [],
    }),
    profile: valueOption({
      name: '--profile',
      metavar: 'NAME',
      help: [
        `Cost profile: ${names([...PROFILE_NAMES, 'host'])}, or a profile JSON file's path. Default: ${d.profile}.`,
        `  host: the profile npm run calibrate measured on this machine (${HOST_PROFILE_PATH}).`,
        ...PROFILE_NAMES.map((p) => `  ${p}: ${PROFILES[p].description}`),
      ],
      parse: (raw, flag) => profileNamed(flag, raw, env.cwd),
      default: () => profileNamed('--profile', d.profile, env.cwd),
    }),
  };
}

/** What the sweep measures: the target, the configurations' lists, the presets and the cost profile. */
export type SweepOptions = OptionValues<ReturnType<typeof sweepOptions>['options']>;

/** A profile as named (a built-in name, `host`, or a file's path) and as loaded and checked. */
function profileNamed(flag: string, name: string, cwd: string): { name: string; costProfile: CostProfile } {
  try {
    return { name, costProfile: loadProfile(name, cwd) };
  } catch (e) {
    throw Errors.badProfile(flag, name, [...PROFILE_NAMES, 'host'], (e as Error).message);
  }
}

/** The options a preset sets, by table key. */
const SET_BY_PRESET = [
  ['journals', '--journal'],
  ['strategies', '--strategy'],
  ['lock', '--lock'],
  ['timeGranNs', '--time-gran'],
] as const;

/** Throws a UsageError when presets are combined with what they set, or with a target that does not run the model kernel. */
export function checkPresets(presets: readonly FsPresetName[], target: TargetName, given: ReadonlySet<string>): void {
  if (presets.length === 0) return;
  for (const [key, flag] of SET_BY_PRESET) {
    if (given.has(key)) {
      throw new UsageError(
        `${flag}: cannot be combined with --preset, which sets the journal, strategy, lock and time granularity; drop one of them`,
        flag,
      );
    }
  }
  if (!TARGETS[target].runsModelKernel) throw Errors.notForTarget('--preset', target, MODEL_KERNEL_TARGETS);
}
