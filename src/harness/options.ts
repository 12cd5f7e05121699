/**
 * Command-line options of the benchmark: parsing, defaults, validation and help.
 * Pure apart from checkWritable's stat/access calls, so the CLI can report every
 * bad input as one UsageError line before spending any time measuring.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import { Errors, UsageError, listAlternatives } from './errors.js';
import { JOURNAL_NAMES, type JournalName } from '../model/journals/index.js';
import { makeLayout } from '../model/layout.js';
import { LOCK_KINDS, type LockChoice } from '../model/locks/kinds.js';
import { HOST_PROFILE_PATH, PROFILES, PROFILE_NAMES, loadProfile, type CostProfile } from '../model/profiles.js';
import { STRATEGY_NAMES, type StrategyName } from '../model/strategies/index.js';
import { WORKLOADS, WORKLOAD_NAMES, type WorkloadName } from '../model/workloads.js';
import { TARGET_NAMES, makeTarget, type TargetName } from '../targets/index.js';

/** Upper bound on any thread count: well past the cores of the machines this targets. */
export const MAX_THREADS = 256;

export interface BenchOptions {
  threads: number[]; // sorted ascending, unique
  strategies: StrategyName[]; // in STRATEGY_NAMES order
  journals: JournalName[]; // in JOURNAL_NAMES order
  workloads: WorkloadName[]; // in WORKLOAD_NAMES order
  lock: LockChoice;
  /** A built-in profile name, `host`, or a profile file's path. */
  profile: string;
  /** The profile it names, loaded and checked. */
  costProfile: CostProfile;
  durationSec: number; // measured window per run
  warmupSec: number; // >= 0
  runs: number; // integer >= 1 (max 1000)
  pages: number; // pages per file, integer 1..1048576
  timeScale: number; // model seconds per kernel second, (0, 1]
  tickMs: number; // coarse clock tick in model ms, > 0 (<= 1000)
  observerIntervalMs: number; // >= 0, 0 = observer off
  csvPath: string; // resolved path
  jsonPath: string | null;
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
  /** Where the kernel target creates its files. */
  dir: string;
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
  tickMs: 4, // jiffy at HZ=250: the coarse clock file timestamps normally use
  observerIntervalMs: 10, // a getattr poller stat()ing often enough to matter for multigrain
  csvDir: 'results', // default CSV goes to <cwd>/results/faultscale-<timestamp>.csv
  // --quick: a whole default sweep in under a minute on 2 cores.
  quick: { threads: [1, 2], durationSec: 0.3, warmupSec: 0.1, runs: 3, pages: 4096 },
} as const;

const MAX_RUNS = 1000;
const MAX_PAGES = 1048576; // 4 GiB of 4 KiB pages per file
const MAX_TICK_MS = 1000;
const MAX_TIME_SCALE = 1;

export type ParseResult = { kind: 'help'; text: string } | { kind: 'run'; options: BenchOptions };

/** What the host reports; ignore nonsense (0, NaN) rather than fail, and stay within MAX_THREADS. */
function usableCores(cores: number): number {
  if (!Number.isFinite(cores) || cores < 1) return 1;
  return Math.min(MAX_THREADS, Math.floor(cores));
}

/** Powers of two up to the core count, plus the core count itself: 16 → 1,2,4,8,16; 6 → 1,2,4,6. */
export function defaultThreads(cores: number): number[] {
  const n = usableCores(cores);
  const out: number[] = [];
  for (let t = 1; t <= n; t *= 2) out.push(t);
  if (out[out.length - 1] !== n) out.push(n);
  return out;
}

// Options that take a value, and flags that do not. Order is the order of --help.
const VALUE_OPTIONS = [
  '--threads',
  '--strategy',
  '--journal',
  '--workload',
  '--lock',
  '--profile',
  '--duration',
  '--warmup',
  '--runs',
  '--pages',
  '--time-scale',
  '--tick-ms',
  '--observer-interval',
  '--csv',
  '--json',
  '--watchdog',
  '--target',
  '--dir',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const FLAG_OPTIONS = ['--quick', '--help', '--force', '--keep-going', '--report'] as const;
type FlagOption = (typeof FLAG_OPTIONS)[number];
const ALL_OPTIONS: readonly string[] = [...VALUE_OPTIONS, ...FLAG_OPTIONS];

function isValueOption(name: string): name is ValueOption {
  return (VALUE_OPTIONS as readonly string[]).includes(name);
}

// Plain decimals only: no exponents, hex, Infinity or NaN, which are almost always typos here.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

function parseDecimal(flag: string, raw: string): number {
  if (!DECIMAL.test(raw)) throw Errors.notNumber(flag, raw);
  const n = Number(raw);
  if (!Number.isFinite(n)) throw Errors.notNumber(flag, raw); // e.g. 400 digits
  return n;
}

function parseIntIn(flag: string, raw: string, min: number, max: number, what?: string): number {
  if (!INTEGER.test(raw)) throw Errors.notInteger(flag, raw, min, max);
  const n = Number(raw);
  if (!(n >= min && n <= max)) throw Errors.outOfRange(flag, raw, min, max, what);
  return n;
}

/** > 0, and <= max when given. */
function parsePositive(flag: string, raw: string, max?: number): number {
  const n = parseDecimal(flag, raw);
  if (!(n > 0) || (max !== undefined && n > max)) throw Errors.notPositive(flag, raw, max);
  return n;
}

function parseNonNegative(flag: string, raw: string): number {
  const n = parseDecimal(flag, raw);
  if (!(n >= 0)) throw Errors.negative(flag, raw);
  return n === 0 ? 0 : n; // no -0 in the results
}

/** Splits a comma list, trimming spaces around items; empty items are mistakes, not no-ops. */
function splitList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw Errors.emptyItem(flag, raw);
  return items;
}

const THREAD_RULE = 'thread counts are integers';

function parseThreads(flag: string, raw: string, cores: number): number[] {
  const set = new Set<number>();
  for (const item of splitList(flag, raw)) {
    if (item === 'max') {
      set.add(usableCores(cores));
      continue;
    }
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (a < 1 || b > MAX_THREADS) throw Errors.outOfRange(flag, item, 1, MAX_THREADS, THREAD_RULE);
      if (a > b) throw Errors.reversedRange(flag, item);
      for (let t = a; t <= b; t++) set.add(t);
      continue;
    }
    if (!INTEGER.test(item)) throw Errors.badThreadItem(flag, item, MAX_THREADS);
    set.add(parseIntIn(flag, item, 1, MAX_THREADS, THREAD_RULE));
  }
  return [...set].sort((x, y) => x - y);
}

/** Names from `names` (or 'all'), deduplicated and returned in `names` order. */
function parseNames<T extends string>(flag: string, raw: string, names: readonly T[]): T[] {
  const chosen = new Set<string>();
  for (const item of splitList(flag, raw)) {
    if (item === 'all') names.forEach((n) => chosen.add(n));
    else if ((names as readonly string[]).includes(item)) chosen.add(item);
    else throw Errors.unknownName(flag, item, [...names, 'all']);
  }
  return names.filter((n) => chosen.has(n));
}

function parseOneName<T extends string>(flag: string, raw: string, names: readonly T[]): T {
  const found = names.find((n) => n === raw);
  if (found === undefined) throw Errors.unknownName(flag, raw, names);
  return found;
}

function parsePath(flag: string, raw: string, cwd: string): string {
  if (raw === '') throw Errors.emptyPath(flag);
  // Keep a trailing separator: it says the user named a directory, which checkWritable rejects.
  const resolved = nodePath.resolve(cwd, raw);
  return /[\\/]$/.test(raw) && !resolved.endsWith(nodePath.sep) ? resolved + nodePath.sep : resolved;
}

/** `2026-11-24T23:59:01.123Z` → `2026-11-24T23-59-01Z`: sortable and safe in file names everywhere. */
function fileTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/**
 * Throws a UsageError when `path` could not be opened for writing. Only stats and
 * access checks: the file is neither created nor truncated, so parsing has no effects.
 */
export function checkWritable(flag: string, path: string): void {
  if (/[\\/]$/.test(path)) throw Errors.unwritable(flag, path, 'the path names a directory');
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOTDIR') throw Errors.unwritable(flag, path, 'a parent in the path is not a directory');
    if (code !== 'ENOENT') throw Errors.unwritable(flag, path, code ?? String(err));
  }
  if (st) {
    if (st.isDirectory()) throw Errors.unwritable(flag, path, 'it is a directory');
    try {
      fs.accessSync(path, fs.constants.W_OK);
    } catch (err) {
      throw Errors.unwritable(flag, path, `the file is not writable (${errnoCode(err) ?? String(err)})`);
    }
    return;
  }
  // The file would be created: its directory must exist and let us add entries.
  const dir = nodePath.dirname(nodePath.resolve(path));
  let dirStat: fs.Stats;
  try {
    dirStat = fs.statSync(dir);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') throw Errors.unwritable(flag, path, `directory '${dir}' does not exist`);
    if (code === 'ENOTDIR') throw Errors.unwritable(flag, path, 'a parent in the path is not a directory');
    throw Errors.unwritable(flag, path, `cannot stat directory '${dir}' (${code ?? String(err)})`);
  }
  if (!dirStat.isDirectory()) throw Errors.unwritable(flag, path, `'${dir}' is not a directory`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw Errors.unwritable(flag, path, `directory '${dir}' is not writable (${errnoCode(err) ?? String(err)})`);
  }
}

/** An existing directory we can create files in (the kernel target's --dir, calibrate's); else a UsageError naming the flag. */
export function checkDirectory(flag: string, dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    throw Errors.unwritable(flag, dir, errnoCode(err) === 'ENOENT' ? 'it does not exist' : (errnoCode(err) ?? String(err)));
  }
  if (!st.isDirectory()) throw Errors.unwritable(flag, dir, 'it is not a directory');
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw Errors.unwritable(flag, dir, `the directory is not writable (${errnoCode(err) ?? String(err)})`);
  }
}

/**
 * Parses argv (without node and script). Returns help when --help or -h appears
 * anywhere, even next to other mistakes; otherwise throws the first UsageError.
 */
export function parseBenchArgs(
  argv: readonly string[],
  env: { cores: number; now: Date; cwd: string },
): ParseResult {
  // Pass 1: syntax only. Remember the first error but keep scanning, so that
  // `--bogus --help` still shows the help the user was looking for.
  const given = new Map<ValueOption, string>(); // last occurrence wins
  const flags = new Set<FlagOption>();
  let help = false;
  let firstError: UsageError | undefined;
  const fail = (e: UsageError): void => {
    firstError ??= e;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      fail(Errors.unknownOption(arg, ALL_OPTIONS));
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if ((FLAG_OPTIONS as readonly string[]).includes(name)) {
      if (inline !== undefined) fail(Errors.unexpectedValue(name, inline));
      else if (name === '--help') help = true;
      else flags.add(name as FlagOption);
      continue;
    }
    if (!isValueOption(name)) {
      fail(Errors.unknownOption(name, ALL_OPTIONS));
      continue;
    }
    if (inline !== undefined) {
      given.set(name, inline);
      continue;
    }
    const next = argv[i + 1];
    // An option in value position means the value was forgotten; `--csv=--odd` still works.
    if (next === undefined || next.startsWith('--')) {
      fail(Errors.missingValue(name));
      continue;
    }
    given.set(name, next);
    i++;
  }

  if (help) return { kind: 'help', text: helpText(env) };
  if (firstError) throw firstError;

  // Pass 2: values. --quick only changes defaults, so explicit options win in any order.
  const quick = flags.has('--quick');
  const force = flags.has('--force');
  const q = quick ? DEFAULTS.quick : undefined;
  const raw = (opt: ValueOption): string | undefined => given.get(opt);
  const num = <T>(opt: ValueOption, parse: (flag: string, s: string) => T, fallback: T): T => {
    const s = raw(opt);
    return s === undefined ? fallback : parse(opt, s);
  };

  const threads = num('--threads', (f, s) => parseThreads(f, s, env.cores), q ? [...q.threads] : defaultThreads(env.cores));
  const strategies = num('--strategy', (f, s) => parseNames(f, s, STRATEGY_NAMES), [...DEFAULTS.strategies]);
  const journals = num('--journal', (f, s) => parseNames(f, s, JOURNAL_NAMES), [...DEFAULTS.journals] as JournalName[]);
  const workloads = num('--workload', (f, s) => parseNames(f, s, WORKLOAD_NAMES), [...DEFAULTS.workloads] as WorkloadName[]);
  const lock = num('--lock', (f, s): LockChoice => parseOneName(f, s, [...LOCK_KINDS, 'auto']), DEFAULTS.lock as LockChoice);
  const profile = raw('--profile') ?? DEFAULTS.profile;
  let costProfile: CostProfile;
  try {
    costProfile = loadProfile(profile, env.cwd);
  } catch (e) {
    throw Errors.badProfile('--profile', profile, [...PROFILE_NAMES, 'host'], (e as Error).message);
  }
  const durationSec = num('--duration', (f, s) => parsePositive(f, s), q?.durationSec ?? DEFAULTS.durationSec);
  const warmupSec = num('--warmup', parseNonNegative, q?.warmupSec ?? DEFAULTS.warmupSec);
  const runs = num('--runs', (f, s) => parseIntIn(f, s, 1, MAX_RUNS), q?.runs ?? DEFAULTS.runs);
  const pages = num('--pages', (f, s) => parseIntIn(f, s, 1, MAX_PAGES), q?.pages ?? DEFAULTS.pages);
  const timeScale = num('--time-scale', (f, s) => parsePositive(f, s, MAX_TIME_SCALE), DEFAULTS.timeScale);
  const tickMs = num('--tick-ms', (f, s) => parsePositive(f, s, MAX_TICK_MS), DEFAULTS.tickMs);
  const observerIntervalMs = num('--observer-interval', parseNonNegative, DEFAULTS.observerIntervalMs);
  // Several windows without a single store is a hang, not a slow run.
  const watchdogSec = num('--watchdog', (f, s) => parsePositive(f, s), Math.max(10, 5 * (warmupSec + durationSec)));
  const target = num('--target', (f, s) => parseOneName(f, s, TARGET_NAMES), 'model' as TargetName);
  const dirRaw = raw('--dir');
  const dir = dirRaw === undefined ? os.tmpdir() : parsePath('--dir', dirRaw, env.cwd);
  if (dirRaw !== undefined) checkDirectory('--dir', dir);

  const sharedPages = makeTarget(target, { dir }).sharedPages(pages);
  const needed = Math.max(
    ...workloads.map((workload) => {
      const writers = Math.max(...threads);
      const files = workload === 'shared-file' ? 1 : writers;
      return makeLayout({ cpus: writers + 5, writers, files, pages: sharedPages }).bytes;
    }),
  );
  if (needed > MAX_SHARED_BYTES) throw Errors.tooBig('--pages', String(pages), Math.max(...threads), needed, MAX_SHARED_BYTES);

  const csvRaw = raw('--csv');
  const jsonRaw = raw('--json');
  const csvPath =
    csvRaw === undefined
      ? nodePath.resolve(env.cwd, DEFAULTS.csvDir, `faultscale-${fileTimestamp(env.now)}.csv`)
      : parsePath('--csv', csvRaw, env.cwd);
  const jsonPath = jsonRaw === undefined ? null : parsePath('--json', jsonRaw, env.cwd);

  const reportPath = flags.has('--report') ? csvPath.replace(/\.csv$/i, '') + '.html' : null;
  if (csvRaw !== undefined) {
    checkWritable('--csv', csvPath);
  } else if (fs.existsSync(nodePath.dirname(csvPath))) {
    // The caller creates the default results/ dir; check only once it exists (it may be a file).
    checkWritable('--csv', csvPath);
  }
  if (jsonPath !== null) {
    checkWritable('--json', jsonPath);
    if (jsonPath === csvPath) throw Errors.samePath('--json', jsonRaw ?? jsonPath, 'CSV');
  }
  // Results are never overwritten by accident.
  const outputs: [string, string | null][] = [['--csv', csvPath], ['--json', jsonPath], ['--report', reportPath]];
  for (const [flag, path] of outputs) {
    if (path !== null && !force && fs.existsSync(path)) throw Errors.exists(flag, path);
  }

  return {
    kind: 'run',
    options: {
      threads,
      strategies,
      journals,
      workloads,
      lock,
      profile,
      costProfile,
      durationSec,
      warmupSec,
      runs,
      pages,
      timeScale,
      tickMs,
      observerIntervalMs,
      csvPath,
      jsonPath,
      reportPath,
      quick,
      force,
      keepGoing: flags.has('--keep-going'),
      watchdogSec,
      target,
      dir,
    },
  };
}

/** Help for every option: argument, default and allowed values. */
export function helpText(env: { cores: number }): string {
  const cores = usableCores(env.cores);
  const d = DEFAULTS;
  const qd = d.quick;
  const names = (xs: readonly string[], extra?: string): string => listAlternatives(extra ? [...xs, extra] : xs);
  const opt = (flag: string, desc: string[]): string =>
    [`  ${flag}`, ...desc.map((line) => `      ${line}`)].join('\n');

  return [
    'Usage: faultscale [options]',
    '',
    'Measures write-fault throughput of the model kernel across thread counts and',
    'timestamp-update strategies, and writes one CSV row per configuration (workload, journal, strategy, threads).',
    'Options take a value as --opt VALUE or --opt=VALUE; a repeated option keeps its last value.',
    '',
    'Sweep:',
    opt('--threads LIST', [
      `Thread counts: comma list of N, A-B (inclusive range) or max (= ${cores}, the cores here); each 1 to ${MAX_THREADS}.`,
      `Default: ${defaultThreads(cores).join(',')} (powers of two up to the core count, plus the core count).`,
    ]),
    opt('--strategy LIST', [
      `Timestamp-update strategies: ${names(STRATEGY_NAMES, 'all')}.`,
      'Default: all.',
    ]),
    opt('--journal LIST', [`Journals: ${names(JOURNAL_NAMES, 'all')}.`, `Default: ${d.journals.join(',')}.`]),
    opt('--workload LIST', [
      `Workloads: ${names(WORKLOAD_NAMES, 'all')}. Default: ${d.workloads.join(',')}.`,
      ...WORKLOAD_NAMES.map((w) => `  ${w}: ${WORKLOADS[w]}`),
    ]),
    opt('--lock NAME', [
      `Lock kind for the journal's hot lock: ${names(LOCK_KINDS, 'auto')}.`,
      `Default: ${d.lock} (the kind the kernel uses for each journal).`,
    ]),
    opt('--profile NAME', [
      `Cost profile: ${names([...PROFILE_NAMES, 'host'])}, or a profile JSON file's path. Default: ${d.profile}.`,
      `  host: the profile npm run calibrate measured on this machine (${HOST_PROFILE_PATH}).`,
      ...PROFILE_NAMES.map((p) => `  ${p}: ${PROFILES[p].description}`),
    ]),
    '',
    'Timing:',
    opt('--duration SEC', [`Measured window per run, seconds, > 0. Default: ${d.durationSec}.`]),
    opt('--warmup SEC', [`Unmeasured warm-up before each run, seconds, >= 0. Default: ${d.warmupSec}.`]),
    opt('--runs N', [`Runs per configuration, integer 1 to ${MAX_RUNS}. Default: ${d.runs}.`]),
    opt('--pages N', [`Pages per file, integer 1 to ${MAX_PAGES}. Default: ${d.pages}.`]),
    opt('--time-scale X', [
      `Model seconds per kernel second, > 0 and at most ${MAX_TIME_SCALE}. Default: ${d.timeScale}.`,
    ]),
    opt('--tick-ms MS', [
      `Coarse clock tick in model milliseconds, > 0 and at most ${MAX_TICK_MS}. Default: ${d.tickMs}.`,
    ]),
    opt('--observer-interval MS', [
      `Interval between the observer's getattr calls, milliseconds, >= 0; 0 turns the observer off. Default: ${d.observerIntervalMs}.`,
    ]),
    opt('--target NAME', [
      `What to measure: ${names(TARGET_NAMES)}. Default: model.`,
      '  model: the simulated kernel in shared memory; kernel: this machine\'s kernel, through the native addon.',
    ]),
    opt('--dir PATH', ['Directory the kernel target creates its files in. Default: the OS temp directory.']),
    opt('--quick', [
      `A fast sweep (under a minute on 2 cores): threads ${qd.threads.join(',')}, duration ${qd.durationSec},`,
      `warmup ${qd.warmupSec}, runs ${qd.runs}, pages ${qd.pages}; options given explicitly still win.`,
    ]),
    '',
    'Output:',
    opt('--csv PATH', [
      `CSV results file, relative to the current directory. Default: ${d.csvDir}/faultscale-<UTC timestamp>.csv.`,
    ]),
    opt('--json PATH', ['Also write a JSON summary to PATH. Default: none.']),
    opt('--report', ['Also write an HTML report next to the CSV (same name, .html).']),
    opt('--force', ['Overwrite result files that already exist (refused otherwise).']),
    '',
    'Failures:',
    opt('--keep-going', ['After a configuration fails, go on with the next one (exit status is still 1).']),
    opt('--watchdog SEC', [
      'Abort a run when no writer has stored anything for SEC seconds, printing the lock and journal state.',
      'Default: the larger of 10 and 5 × (warmup + duration).',
    ]),
    opt('--help, -h', ['Show this help and exit.']),
    '',
  ].join('\n');
}
