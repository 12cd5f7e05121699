/**
 * Command-line options of the benchmark: the option table (parsing, defaults,
 * validation and help, one entry per option; see ./args/index.ts for how to add
 * one) and the checks across options. Pure apart from the path checks' stat and
 * access calls, so the CLI reports every bad input as one UsageError line
 * before spending any time measuring.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import {
  checkDirectory,
  checkCreatable,
  checkWritable,
  defaultThreads,
  flagOption,
  helpOption,
  MAX_THREADS,
  optionHelp,
  parseCommandLine,
  parseIntIn,
  parseNames,
  parseNonNegative,
  parseOneName,
  parsePath,
  parsePositive,
  parseThreads,
  timestampedPath,
  usableCores,
  valueOption,
  type OptionValues,
} from './args/index.js';
import { Errors, UsageError, listAlternatives, quote } from './errors.js';
import { JOURNAL_NAMES, type JournalName } from '../model/journals/index.js';
import { tickMsOf } from '../model/config.js';
import { makeLayout } from '../model/layout.js';
import { LOCK_KINDS, type LockChoice } from '../model/locks/kinds.js';
import { HOST_PROFILE_PATH, PROFILES, PROFILE_NAMES, loadProfile, type CostProfile } from '../model/profiles.js';
import { STRATEGY_NAMES } from '../model/strategies/index.js';
import { WORKLOADS, WORKLOAD_NAMES, type WorkloadName } from '../model/workloads.js';
import { sidecarPath } from '../rows/runs.js';
import { TARGETS, TARGET_NAMES, makeTarget, type TargetName } from '../targets/index.js';
import { VIRTUAL_SWEEP } from '../targets/virtual/defaults.js';
import { hardwareOptions, resolveHardware } from './hardware-options.js';
import { WRITER_MODES, type WriterMode } from '../targets/target.js';
import { modelRunOptions } from './model-run-options.js';
import { resolveRunPlan, runPlanOptions } from './run-plan-options.js';
import { checkPresets, presetOptions } from './preset-options.js';
import { BASELINE_DIR, baselinePath, parseBaselineName } from './baselines.js';
import { sweepConfigurations } from './preset-sweep.js';
import { checkShardCount, shardedCsvPath } from './shard.js';
import type { SchedulerVars } from './shard-auto.js';
import { sweepIdOf } from './sweep-id.js';

export { MAX_THREADS, checkDirectory, checkWritable, defaultThreads, errnoCode } from './args/index.js';
export { resolveHardware } from './hardware-options.js';

import { DEFAULTS, MAX_SHARED_BYTES, type BenchOptions } from './bench-options.js';
import { quickOf, sweepOf, windowOptions } from './window-options.js';

export { DEFAULTS, MAX_SHARED_BYTES, type BenchOptions };

const MAX_PAGES = 1048576; // 4 GiB of 4 KiB pages per file
const MAX_TIME_SCALE = 1;

export type ParseResult = { kind: 'help'; text: string } | { kind: 'run'; options: BenchOptions };

export interface BenchEnv {
  readonly cores: number;
  readonly now: Date;
  readonly cwd: string;
  /** The environment `--shard auto` reads (a scheduler's task index); none when absent. */
  readonly vars?: SchedulerVars;
}

const names = (xs: readonly string[], extra?: string): string => listAlternatives(extra ? [...xs, extra] : xs);

/** The bench's options, in --help order. */
export function benchOptions(env: BenchEnv) {
  const d = DEFAULTS;
  const qd = d.quick;
  const cores = usableCores(env.cores);
  return {
    target: valueOption({
      name: '--target',
      metavar: 'NAME',
      section: 'Sweep',
      help: [
        `What to measure: ${names(TARGET_NAMES)}. Default: model.`,
        ...TARGET_NAMES.map((t) => `  ${t}: ${TARGETS[t].about}`),
      ],
      parse: (raw, flag) => parseOneName(flag, raw, TARGET_NAMES),
      default: (): TargetName => 'model',
    }),
    threads: valueOption({
      name: '--threads',
      metavar: 'LIST',
      section: 'Sweep',
      help: [
        `Thread counts: comma list of N, A-B (inclusive range) or max (= ${cores}, the cores here); each 1 to ${MAX_THREADS}`,
        `(virtual: to ${VIRTUAL_SWEEP.maxThreads}). Default: ${defaultThreads(cores).join(',')} (powers of two up to the core count, plus the core count);`,
        `virtual: ${VIRTUAL_SWEEP.threads.join(',')} (--quick: ${VIRTUAL_SWEEP.quickThreads.join(',')}).`,
      ],
      parse: (raw, flag, got) => parseThreads(flag, raw, env.cores, sweepOf(got).maxThreads),
      default: (got) => {
        const t = sweepOf(got);
        if (quickOf(got)) return [...(t.quickThreads ?? qd.threads)];
        return t.threads ? [...t.threads] : defaultThreads(env.cores);
      },
    }),
    strategies: valueOption({
      name: '--strategy',
      metavar: 'LIST',
      section: 'Sweep',
      help: [`Timestamp-update strategies: ${names(STRATEGY_NAMES, 'all')}.`, 'Default: all.'],
      parse: (raw, flag) => parseNames(flag, raw, STRATEGY_NAMES),
      default: () => [...d.strategies],
    }),
    journals: valueOption({
      name: '--journal',
      metavar: 'LIST',
      section: 'Sweep',
      help: [`Journals: ${names(JOURNAL_NAMES, 'all')}.`, `Default: ${d.journals.join(',')}.`],
      parse: (raw, flag) => parseNames(flag, raw, JOURNAL_NAMES),
      default: () => [...d.journals] as JournalName[],
    }),
    workloads: valueOption({
      name: '--workload',
      metavar: 'LIST',
      section: 'Sweep',
      help: [
        `Workloads: ${names(WORKLOAD_NAMES, 'all')}. Default: ${d.workloads.join(',')}.`,
        ...WORKLOAD_NAMES.map((w) => `  ${w}: ${WORKLOADS[w]}`),
      ],
      parse: (raw, flag) => parseNames(flag, raw, WORKLOAD_NAMES),
      default: () => [...d.workloads] as WorkloadName[],
    }),
    lock: valueOption({
      name: '--lock',
      metavar: 'NAME',
      section: 'Sweep',
      help: [
        `Lock kind for the journal's hot lock: ${names(LOCK_KINDS, 'auto')}.`,
        `Default: ${d.lock} (the kind the kernel uses for each journal).`,
      ],
      parse: (raw, flag): LockChoice => parseOneName(flag, raw, [...LOCK_KINDS, 'auto']),
      default: () => d.lock as LockChoice,
    }),
    ...presetOptions(),
    profile: valueOption({
      name: '--profile',
      metavar: 'NAME',
      section: 'Sweep',
      help: [
        `Cost profile: ${names([...PROFILE_NAMES, 'host'])}, or a profile JSON file's path. Default: ${d.profile}.`,
        `  host: the profile npm run calibrate measured on this machine (${HOST_PROFILE_PATH}).`,
        ...PROFILE_NAMES.map((p) => `  ${p}: ${PROFILES[p].description}`),
      ],
      parse: (raw, flag) => profileNamed(flag, raw, env.cwd),
      default: () => profileNamed('--profile', d.profile, env.cwd),
    }),
    ...windowOptions(),
    ...runPlanOptions(d.runs, qd.runs, env.vars),
    pages: valueOption({
      name: '--pages',
      metavar: 'N',
      section: 'Timing',
      help: [`Pages per file, integer 1 to ${MAX_PAGES}. Default: ${d.pages}; virtual: ${VIRTUAL_SWEEP.pages}.`],
      parse: (raw, flag) => parseIntIn(flag, raw, 1, MAX_PAGES),
      default: (got) => sweepOf(got).pages ?? quickOf(got)?.pages ?? d.pages,
    }),
    timeScale: valueOption({
      name: '--time-scale',
      metavar: 'X',
      section: 'Timing',
      help: [
        `Model seconds per kernel second, > 0 and at most ${MAX_TIME_SCALE}. Default: ${d.timeScale}; virtual: ${VIRTUAL_SWEEP.timeScale}.`,
      ],
      parse: (raw, flag) => parsePositive(flag, raw, MAX_TIME_SCALE),
      default: (got) => sweepOf(got).timeScale ?? d.timeScale,
    }),
    observerIntervalMs: valueOption({
      name: '--observer-interval',
      metavar: 'MS',
      section: 'Timing',
      help: [
        `Interval between the observer's getattr calls, milliseconds, >= 0; 0 turns the observer off. Default: ${d.observerIntervalMs};`,
        `virtual: ${VIRTUAL_SWEEP.observerIntervalMs}.`,
      ],
      parse: (raw, flag) => parseNonNegative(flag, raw),
      default: (got) => sweepOf(got).observerIntervalMs ?? d.observerIntervalMs,
    }),
    ...modelRunOptions(),
    mode: valueOption({
      name: '--mode',
      metavar: 'MODE',
      section: 'Timing',
      help: [
        `How the writers run, as will-it-scale's two flavours: ${names(WRITER_MODES)}. Default: threads.`,
        '  threads: every writer a thread of this process; processes: one process per writer, each with its own',
        '  address space (--target kernel only: the model lives in one shared memory).',
      ],
      parse: (raw, flag) => parseOneName(flag, raw, WRITER_MODES),
      default: (): WriterMode => 'threads',
    }),
    dir: valueOption({
      name: '--dir',
      metavar: 'PATH',
      section: 'Timing',
      help: ['Directory the kernel target creates its files in. Default: the OS temp directory.'],
      parse: (raw, flag) => {
        const dir = parsePath(flag, raw, env.cwd);
        checkDirectory(flag, dir);
        return dir;
      },
      default: () => os.tmpdir(),
    }),
    ...hardwareOptions(env.cores),
    quick: flagOption({
      name: '--quick',
      section: 'Timing',
      help: [
        `A fast sweep (under a minute on 2 cores): threads ${qd.threads.join(',')}, duration ${qd.durationSec},`,
        `warmup ${qd.warmupSec}, runs ${qd.runs}, pages ${qd.pages}; options given explicitly still win.`,
      ],
    }),
    csvPath: valueOption({
      name: '--csv',
      metavar: 'PATH',
      section: 'Output',
      help: [
        `CSV results file, relative to the current directory. Default: ${d.csvDir}/faultscale-<UTC timestamp>.csv.`,
      ],
      parse: (raw, flag) => {
        const file = parsePath(flag, raw, env.cwd);
        checkWritable(flag, file);
        return file;
      },
      default: () => {
        const file = timestampedPath(env.cwd, d.csvDir, 'faultscale', 'csv', env.now);
        // The sweep creates the default results/ dir (mkdir -p): its nearest existing ancestor must take it.
        checkCreatable('--csv', file);
        return file;
      },
    }),
    jsonPath: valueOption<string | null>({
      name: '--json',
      metavar: 'PATH',
      section: 'Output',
      help: ['Also write a JSON summary to PATH. Default: none.'],
      parse: (raw, flag) => {
        const file = parsePath(flag, raw, env.cwd);
        checkWritable(flag, file);
        return file;
      },
      default: () => null,
    }),
    markdownPath: valueOption<string | null>({
      name: '--markdown',
      metavar: 'PATH',
      section: 'Output',
      help: [
        'Also write a Markdown summary (context, one table row per configuration, failures) to PATH. Default: none.',
      ],
      parse: (raw, flag) => {
        const file = parsePath(flag, raw, env.cwd);
        checkWritable(flag, file);
        return file;
      },
      default: () => null,
    }),
    report: flagOption({
      name: '--report',
      section: 'Output',
      help: ['Also write an HTML report next to the CSV (same name, .html).'],
    }),
    baselinePath: valueOption<string | null>({
      name: '--save-baseline',
      metavar: 'NAME',
      section: 'Output',
      help: [
        `Also save the results as the baseline NAME (${BASELINE_DIR}/NAME.csv and its .runs.csv, replacing an`,
        'older one of that name), for compare --baseline NAME. Not saved when the sweep is interrupted. Default: none.',
      ],
      parse: (raw, flag) => {
        const file = baselinePath(env.cwd, parseBaselineName(flag, raw));
        checkCreatable(flag, file);
        return file;
      },
      default: () => null,
    }),
    force: flagOption({
      name: '--force',
      section: 'Output',
      help: ['Overwrite result files that already exist (refused otherwise).'],
    }),
    keepGoing: flagOption({
      name: '--keep-going',
      section: 'Failures',
      help: ['After a configuration fails, go on with the next one (exit status is still 1).'],
    }),
    watchdogSec: valueOption({
      name: '--watchdog',
      metavar: 'SEC',
      section: 'Failures',
      help: [
        'Abort a run when no writer has stored anything for SEC seconds, printing the lock and journal state.',
        'Default: the larger of 10 and 5 × (warmup + duration).',
      ],
      parse: (raw, flag) => parsePositive(flag, raw),
      // Several windows without a single store is a hang, not a slow run.
      default: (got) => Math.max(10, 5 * ((got.warmupSec as number) + (got.durationSec as number))),
    }),
    help: helpOption(['Show this help and exit.'], { section: 'Failures', label: '--help, -h' }),
  };
}

export type BenchValues = OptionValues<ReturnType<typeof benchOptions>>;

function profileNamed(flag: string, name: string, cwd: string): { name: string; costProfile: CostProfile } {
  try {
    return { name, costProfile: loadProfile(name, cwd) };
  } catch (e) {
    throw Errors.badProfile(flag, name, [...PROFILE_NAMES, 'host'], (e as Error).message);
  }
}

/**
 * Parses argv (without node and script). Returns help when --help or -h appears
 * anywhere, even next to other mistakes; otherwise throws the first UsageError.
 */
export function parseBenchArgs(argv: readonly string[], env: BenchEnv): ParseResult {
  const parsed = parseCommandLine(benchOptions(env), argv);
  if (parsed.kind === 'help') return { kind: 'help', text: helpText(env) };
  const v = parsed.values;

  checkPresets(v.presets, v.target, parsed.given);
  const hardware = resolveHardware(v.target, v.hardware, v.topology, parsed.raw, env.cwd);
  if (v.mode !== 'threads' && v.target !== 'kernel') {
    throw new UsageError(
      `--mode: ${quote(v.mode)} needs --target kernel; the ${v.target} target runs its writers as threads`,
      '--mode',
    );
  }
  const target = makeTarget(v.target, { dir: v.dir, hardware, mode: v.mode });
  const sharedPages = target.sharedPages(v.pages);
  const needed = Math.max(
    ...v.workloads.map((workload) => {
      const writers = Math.max(...v.threads);
      const files = workload === 'shared-file' ? 1 : writers;
      return makeLayout({ cpus: writers + 5, writers, files, pages: sharedPages }).bytes;
    }),
  );
  if (needed > MAX_SHARED_BYTES)
    throw Errors.tooBig('--pages', String(v.pages), Math.max(...v.threads), needed, MAX_SHARED_BYTES);

  const plan = resolveRunPlan(v, parsed.given.has('maxRuns') ? (parsed.raw.get('maxRuns') ?? '') : null);

  const sweepId =
    v.sweepId ?? sweepIdOf({ ...v, ...plan, hardwareName: v.hardware, hardware, costProfile: v.profile.costProfile });
  if (v.shard) checkShardCount('--shard', v.shard, sweepConfigurations(target, v, v.presets).length);
  // Shards of one sweep share a directory (a cluster's results folder): each default name says which shard it holds.
  const csvPath = v.shard && !parsed.given.has('csvPath') ? shardedCsvPath(v.csvPath, sweepId, v.shard) : v.csvPath;
  const reportPath = v.report ? csvPath.replace(/\.csv$/i, '') + '.html' : null;
  // Every file the sweep writes, checked now rather than after the first configuration has been measured.
  const inCsvDir = fs.existsSync(nodePath.dirname(csvPath)) ? checkWritable : checkCreatable;
  inCsvDir('--csv', sidecarPath(csvPath));
  if (reportPath !== null) inCsvDir('--report', reportPath);
  if (v.jsonPath !== null && v.jsonPath === csvPath)
    throw Errors.samePath('--json', parsed.raw.get('jsonPath') ?? v.jsonPath, 'CSV');
  if (v.markdownPath !== null && (v.markdownPath === csvPath || v.markdownPath === v.jsonPath)) {
    throw Errors.samePath(
      '--markdown',
      parsed.raw.get('markdownPath') ?? v.markdownPath,
      v.markdownPath === csvPath ? 'CSV' : 'JSON',
    );
  }
  // Results are never overwritten by accident.
  const outputs: [string, string | null][] = [
    ['--csv', csvPath],
    ['--json', v.jsonPath],
    ['--markdown', v.markdownPath],
    ['--report', reportPath],
  ];
  for (const [flag, path] of outputs) {
    if (path !== null && !v.force && fs.existsSync(path)) throw Errors.exists(flag, path);
  }

  return {
    kind: 'run',
    options: {
      threads: v.threads,
      strategies: v.strategies,
      presets: v.presets,
      journals: v.journals,
      workloads: v.workloads,
      lock: v.lock,
      profile: v.profile.name,
      costProfile: v.profile.costProfile,
      durationSec: v.durationSec,
      warmupSec: v.warmupSec,
      ...plan,
      pages: v.pages,
      timeScale: v.timeScale,
      hz: v.hz,
      tickMs: tickMsOf(v.hz),
      observerIntervalMs: v.observerIntervalMs,
      msyncEvery: v.msyncEvery,
      timeGranNs: v.timeGranNs,
      client: v.client,
      csvPath,
      jsonPath: v.jsonPath,
      markdownPath: v.markdownPath,
      reportPath,
      baselinePath: v.baselinePath,
      quick: v.quick,
      force: v.force,
      keepGoing: v.keepGoing,
      watchdogSec: v.watchdogSec,
      target: v.target,
      seed: v.seed,
      dir: v.dir,
      hardwareName: v.hardware,
      hardware,
      jobs: v.jobs,
      mode: v.mode,
      argv: [...argv],
      sweepId,
    },
  };
}

/** Help for every option: argument, default and allowed values. */
export function helpText(env: { cores: number }): string {
  return [
    'Usage: faultscale bench [options]      (or npm run bench -- [options])',
    '',
    'Measures write-fault throughput of the model kernel across thread counts and',
    'timestamp-update strategies, and writes one CSV row per configuration (workload, journal, strategy, threads).',
    'Options take a value as --opt VALUE or --opt=VALUE; a repeated option keeps its last value.',
    ...optionHelp(benchOptions({ cores: env.cores, now: new Date(0), cwd: process.cwd() }), { kind: 'below' }),
    '',
    'Relative paths are taken from the directory the command is typed in.',
    'Exit status: 0 every configuration measured, 1 a run failed (its row says why; the rows before it are kept),',
    '2 bad input (one line on stderr, nothing measured), 130 / 143 interrupted by SIGINT / SIGTERM.',
    '',
  ].join('\n');
}
