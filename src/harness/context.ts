/**
 * The context of a sweep, as Google Benchmark's JSON `context` block: the
 * machine (host, CPU model, cores and threads, kernel, Node), the build
 * (version, git commit, dirty flag), the command line, the load average and
 * the time at the start. Collected once when a sweep starts; every row carries
 * it in its context columns (rows.ts, role `context`) and the JSON as its
 * `context` block, so rows merged from shards run elsewhere keep their own.
 */
import os from 'node:os';

import type { Row } from '../rows/rows.js';
import { readHostTopology } from './calibrate/host-topology.js';
import { buildInfo, harnessVersion, type BuildInfo } from './version.js';

/** The context columns known when the sweep starts (the row's own time, `timestamp`, is set when it is measured). */
export type SweepContext = Pick<
  Row,
  | 'host'
  | 'cpu_model'
  | 'cpu_cores'
  | 'cpu_threads'
  | 'cores'
  | 'kernel_version'
  | 'node_version'
  | 'harness_version'
  | 'git_commit'
  | 'git_dirty'
  | 'command_line'
  | 'load_avg_1m'
  | 'started_at'
>;

/** What the context is read from; `collectContext` reads this process and machine. */
export interface ContextSources {
  readonly build: BuildInfo;
  readonly argv: readonly string[];
  readonly cores: number;
  readonly now: Date;
}

// Characters a POSIX shell leaves alone in an unquoted word.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument as a shell would need it: as is when safe, else in single quotes. */
export function shellQuote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `faultscale bench ARGS`, each argument shell-quoted: a line that reruns the sweep when pasted. */
export function commandLine(command: string, argv: readonly string[]): string {
  return ['faultscale', command, ...argv.map(shellQuote)].join(' ');
}

function physicalCores(): number {
  const t = readHostTopology().topology;
  return t.sockets * t.coresPerSocket;
}

export function collectContext(src: ContextSources): SweepContext {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu_model: (cpus[0]?.model ?? '').trim(),
    cpu_cores: physicalCores(),
    cpu_threads: cpus.length,
    cores: src.cores,
    kernel_version: os.release(),
    node_version: process.version,
    harness_version: harnessVersion(src.build),
    git_commit: src.build.commit ?? '',
    git_dirty: src.build.dirty === null ? NaN : src.build.dirty ? 1 : 0,
    command_line: commandLine('bench', src.argv),
    load_avg_1m: os.loadavg()[0] ?? NaN,
    started_at: src.now.toISOString(),
  };
}

/** This process's context, for a sweep started now with these arguments. */
export const currentContext = (argv: readonly string[], cores: number, now: Date = new Date()): SweepContext =>
  collectContext({ build: buildInfo(), argv, cores, now });

/**
 * The JSON `context` block: the same names and values as the CSV's columns,
 * with the dirty flag as a boolean and an empty value as null rather than NaN,
 * which JSON cannot hold.
 */
export function contextJson(
  ctx: SweepContext,
  extra: Readonly<Record<string, string | number>> = {},
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries({ ...ctx, ...extra })) {
    if (k === 'git_dirty') out[k] = Number.isNaN(v) ? null : v === 1;
    else out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v === '' ? null : v;
  }
  return out;
}
