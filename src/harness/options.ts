/**
 * The bench's command line: its option groups (bench-options/, one table per
 * object the options fill) parsed and resolved into BenchOptions, with the
 * checks across groups. Pure apart from the path checks' stat and access
 * calls, so the CLI reports every bad input as one UsageError line before
 * spending any time measuring.
 */
import { flatTable, optionHelp, parseGroups, type OptionTable } from './args/index.js';
import { Errors } from './errors.js';
import { makeLayout } from '../model/layout.js';
import { makeTarget, type Target } from '../targets/index.js';
import {
  MAX_SHARED_BYTES,
  benchOptionGroups,
  checkPresets,
  resolveMachine,
  resolveModel,
  resolveOutputs,
  resolveRunPlan,
  type BenchEnv,
  type BenchOptions,
  type SweepOptions,
} from './bench-options/index.js';
import { sweepConfigurations } from './preset-sweep.js';
import { checkShardCount } from './shard.js';
import { sweepIdOf } from './sweep-id.js';

export { MAX_THREADS, checkDirectory, checkWritable, defaultThreads, errnoCode } from './args/index.js';
export {
  DEFAULTS,
  MAX_SHARED_BYTES,
  resolveHardware,
  type BenchEnv,
  type BenchOptions,
} from './bench-options/index.js';

export type ParseResult = { kind: 'help'; text: string } | { kind: 'run'; options: BenchOptions };

/** Every option in --help order, each under its group's section: one table, for the help and the reference page. */
export const benchOptions = (env: BenchEnv): OptionTable => flatTable(benchOptionGroups(env));

/**
 * Parses argv (without node and script). Returns help when --help or -h appears
 * anywhere, even next to other mistakes; otherwise throws the first UsageError.
 */
export function parseBenchArgs(argv: readonly string[], env: BenchEnv): ParseResult {
  const parsed = parseGroups(benchOptionGroups(env), argv);
  if (parsed.kind === 'help') return { kind: 'help', text: helpText(env) };
  const { given, raw, values: v } = parsed;
  const sweep = v.sweep;

  checkPresets(sweep.presets, sweep.target, given);
  const machine = resolveMachine(v.machine, sweep.target, raw, env.cwd);
  const target = makeTarget(sweep.target, machine);
  checkSharedMemory(target, sweep, v.model.pages);
  const model = resolveModel(v.model);
  const planned = resolveRunPlan(v.plan, given.has('maxRuns') ? (raw.get('maxRuns') ?? '') : null);
  const plan = { ...planned, sweepId: v.plan.sweepId ?? sweepIdOf({ sweep, model, plan: planned, machine }) };
  if (plan.shard) checkShardCount('--shard', plan.shard, sweepConfigurations(target, sweep, sweep.presets).length);
  const outputs = resolveOutputs(v.outputs, plan, given, raw);
  return { kind: 'run', options: { sweep, model, plan, machine, outputs, argv: [...argv] } };
}

/** Throws when the largest configuration's shared memory would exceed MAX_SHARED_BYTES (--pages names it). */
function checkSharedMemory(target: Target, sweep: SweepOptions, pages: number): void {
  const writers = Math.max(...sweep.threads);
  const sharedPages = target.sharedPages(pages);
  const needed = Math.max(
    ...sweep.workloads.map((workload) => {
      const files = workload === 'shared-file' ? 1 : writers;
      return makeLayout({ cpus: writers + 5, writers, files, pages: sharedPages }).bytes;
    }),
  );
  if (needed > MAX_SHARED_BYTES) throw Errors.tooBig('--pages', String(pages), writers, needed, MAX_SHARED_BYTES);
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
