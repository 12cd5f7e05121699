/**
 * bench:fs's command line: its own options (one table), the bench options it
 * refuses because it sets them per combination, and everything else passed
 * through to the bench, checked up front by the bench's own parser.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import { sidecarPath } from '../../rows/runs.js';
import {
  checkCreatable,
  checkWritable,
  flagOption,
  helpOption,
  optionHelp,
  parseCommandLine,
  parseNames,
  parsePath,
  refusedOption,
  splitList,
  timestampedPath,
  valueOption,
} from '../args/index.js';
import { Errors, UsageError, listAlternatives, quote } from '../errors.js';
import { parseBenchArgs } from '../options.js';
import { DEFAULT_MOUNT_OPTIONS, FS_MIN_MIB, FS_NAMES, MAX_SIZE_MIB, dataMib, type FsName } from './constants.js';

/** Bench options this tool sets per combination; the user may not give them. `--csv` is ours (the merged file). */
export const FORBIDDEN_OPTIONS = ['--target', '--dir', '--json', '--report'] as const;
/** One mount option: no commas (sets are comma lists), no spaces, nothing a mount option never contains. */
const MOUNT_OPTION_RE = /^[A-Za-z0-9_.:=/@-]+$/;

export interface MatrixArgs {
  /** In FS_NAMES order, unique. */
  readonly fsList: readonly FsName[];
  /** Each set as `mount -o` takes it (options joined by commas); in the order given, unique. */
  readonly optionSets: readonly string[];
  /** --size-mib, or null for a size per file system (imageSizeMib). */
  readonly sizeMib: number | null;
  /** Merged results CSV (resolved) and its sidecar. */
  readonly csvPath: string;
  readonly runsPath: string;
  readonly force: boolean;
  /** Every other argument, verbatim and in order, for the bench CLI. */
  readonly passthrough: readonly string[];
  /** What the bench will use (its own parser read them from passthrough): sizes the images. */
  readonly threads: readonly number[];
  readonly pages: number;
}

export type MatrixParse = { kind: 'help'; text: string } | { kind: 'cleanup' } | { kind: 'run'; args: MatrixArgs };

export interface ParseEnv {
  readonly cwd: string;
  readonly now: Date;
  readonly cores: number;
  /** An existing writable directory for checking the passthrough options; default os.tmpdir(). */
  readonly probeDir?: string;
}

/** `relatime,noatime+lazytime` → ['relatime', 'noatime,lazytime']: commas separate sets, `+` joins the options of one set. */
function parseOptionSets(raw: string): string[] {
  const sets: string[] = [];
  for (const item of splitList('--mount-options', raw)) {
    const opts = item.split('+').map((s) => s.trim());
    for (const o of opts) {
      if (o === '')
        throw new UsageError(
          `--mount-options: empty option in ${quote(item)}; join the options of one set with single '+'`,
          '--mount-options',
        );
      if (!MOUNT_OPTION_RE.test(o)) {
        throw new UsageError(
          `--mount-options: ${quote(o)} is not a mount option; use letters, digits and _ . : = / @ - (commas separate sets, '+' joins options in a set)`,
          '--mount-options',
        );
      }
    }
    const set = opts.join(',');
    if (!sets.includes(set)) sets.push(set);
  }
  return sets;
}

const refused = (name: (typeof FORBIDDEN_OPTIONS)[number]) =>
  refusedOption(
    name,
    name !== '--report',
    () => new UsageError(`${name}: set by bench:fs for each combination; leave it out`, name),
  );

/** bench:fs's own options, in --help order; the refused bench options after them. */
function matrixOptions(env: ParseEnv) {
  return {
    fsList: valueOption({
      name: '--fs',
      metavar: 'LIST',
      help: [`File systems: ${listAlternatives([...FS_NAMES, 'all'])}. Default: all.`],
      parse: (raw, flag) => parseNames(flag, raw, FS_NAMES),
      default: () => [...FS_NAMES],
    }),
    optionSets: valueOption({
      name: '--mount-options',
      metavar: 'LIST',
      help: [
        'Mount option sets, comma-separated; join options of one set with +, e.g.',
        `relatime,noatime+lazytime. Default: ${DEFAULT_MOUNT_OPTIONS.join(',')}.`,
      ],
      parse: (raw) => parseOptionSets(raw),
      default: () => [...DEFAULT_MOUNT_OPTIONS] as string[],
    }),
    sizeMib: valueOption<number | null>({
      name: '--size-mib',
      metavar: 'N',
      help: [
        'Size of each file system, MiB. Default: max threads × pages × 4 KiB + 25%, plus the',
        `file system's minimum (${FS_NAMES.map((f) => `${f} ${FS_MIN_MIB[f]}`).join(', ')}).`,
      ],
      parse: (raw, flag) => {
        if (!/^\+?\d+$/.test(raw)) throw Errors.notInteger(flag, raw, 1, MAX_SIZE_MIB);
        const n = Number(raw);
        if (!(n >= 1 && n <= MAX_SIZE_MIB)) throw Errors.outOfRange(flag, raw, 1, MAX_SIZE_MIB);
        return n;
      },
      default: () => null,
    }),
    csvPath: valueOption({
      name: '--csv',
      metavar: 'PATH',
      help: ['Merged CSV. Default: results/fs-<UTC timestamp>.csv.'],
      parse: (raw, flag) => parsePath(flag, raw, env.cwd),
      default: () => timestampedPath(env.cwd, 'results', 'fs', 'csv', env.now),
    }),
    force: flagOption({ name: '--force', help: ['Overwrite the merged CSV and its .runs.csv if they exist.'] }),
    cleanup: flagOption({
      name: '--cleanup',
      help: [
        'Only remove what earlier runs killed without clean-up (SIGKILL) left: their loop devices, mounts',
        'and images, found by the owner file in each private directory; a run does this first anyway.',
      ],
    }),
    help: helpOption(['Show this help.'], { label: '--help, -h' }),
    target: refused('--target'),
    dir: refused('--dir'),
    json: refused('--json'),
    report: refused('--report'),
  };
}

export function helpText(): string {
  return [
    'Usage: npm run bench:fs -- [--fs LIST] [--mount-options LIST] [--size-mib N] [--csv PATH] [--force] [bench options...]  (or --cleanup)',
    '',
    'Runs the kernel target (will-it-scale page_fault3, npm run bench -- --target kernel) once per file system',
    'and mount option set, each on a fresh file system: a sparse image on a loop device (ext4, xfs, btrfs) or a',
    'tmpfs, mounted in a private temp directory and removed afterwards. Needs root; a file system whose mkfs is',
    "missing is skipped. Writes one CSV with every combination's rows (fs_type and mount_options say which)",
    'and a merged .runs.csv beside it.',
    '',
    ...optionHelp(matrixOptions({ cwd: '.', now: new Date(0), cores: 1 }), { kind: 'column', width: 22 }),
    '',
    'Every other option goes to the bench as given (--threads, --runs, --duration, --pages, --quick, ...; see',
    `npm run bench -- --help); ${listAlternatives(FORBIDDEN_OPTIONS)} are set here per combination.`,
    'Exit status: 0 when at least one combination ran and none failed, 1 when one failed or none ran,',
    '2 for bad input, 130/143 after SIGINT/SIGTERM (everything created is removed first).',
    '',
  ].join('\n');
}

/**
 * Checks the bench's options with the bench's own parser, which also says the threads and pages it will use; an
 * unknown option's message lists this tool's options too.
 */
function probeBench(
  passthrough: readonly string[],
  own: readonly string[],
  env: ParseEnv,
): ReturnType<typeof parseBenchArgs> {
  const probeDir = env.probeDir ?? os.tmpdir();
  try {
    return parseBenchArgs(
      [
        ...passthrough,
        '--target',
        'kernel',
        '--dir',
        probeDir,
        '--csv',
        nodePath.join(probeDir, `faultscale-fsmatrix-probe-${process.pid}.csv`),
        '--force',
      ],
      { cores: env.cores, now: env.now, cwd: env.cwd },
    );
  } catch (e) {
    if (e instanceof UsageError && e.option !== undefined && / unknown option/.test(e.message)) {
      throw new UsageError(
        `${e.message.slice(0, e.message.indexOf(': unknown option'))}: unknown option; bench:fs options are ${listAlternatives(own)}, ` +
          'and every other bench option is passed through (npm run bench -- --help lists them)',
        e.option,
      );
    }
    throw e;
  }
}

/** --size-mib must hold the bench's files and be at least each file system's minimum. */
function checkSizeMib(sizeMib: number, fsList: readonly FsName[], threads: readonly number[], pages: number): void {
  const need = dataMib(threads, pages);
  if (sizeMib < need) {
    throw new UsageError(
      `--size-mib: ${sizeMib} MiB is too small; the bench's files need ${need} MiB ` +
        `(${Math.max(...threads)} threads × ${pages} pages × 4 KiB + 25%)`,
      '--size-mib',
    );
  }
  for (const f of fsList) {
    if (sizeMib < FS_MIN_MIB[f]) {
      throw new UsageError(
        `--size-mib: ${sizeMib} MiB is too small for ${f}; it needs at least ${FS_MIN_MIB[f]} MiB`,
        '--size-mib',
      );
    }
  }
}

/** Both outputs, before any file system is made; the default results/ dir is created (mkdir -p) when missing. */
function checkOutputs(csvPath: string, runsPath: string, csvGiven: boolean, force: boolean): void {
  const check = csvGiven || fs.existsSync(nodePath.dirname(csvPath)) ? checkWritable : checkCreatable;
  check('--csv', csvPath);
  check('--csv', runsPath);
  if (!force) {
    for (const p of [csvPath, runsPath]) if (fs.existsSync(p)) throw Errors.exists('--csv', p);
  }
}

/**
 * Splits argv into this tool's options and the bench's, and checks the bench's
 * with the bench's own parser (so a bad --threads is one line here, before any
 * file system is made). Throws UsageError.
 */
export function parseMatrixArgs(argv: readonly string[], env: ParseEnv): MatrixParse {
  const table = matrixOptions(env);
  const parsed = parseCommandLine(table, argv, 'passthrough');
  if (parsed.kind === 'help') return { kind: 'help', text: helpText() };
  if (parsed.values.cleanup) return { kind: 'cleanup' };
  const { fsList, optionSets, sizeMib, csvPath, force } = parsed.values;
  const passthrough = parsed.passthrough;

  // The bench's parser checks everything else and tells us the threads and pages it will use.
  const own = Object.values(table)
    .filter((o) => o.kind !== 'refused')
    .map((o) => o.name);
  const bench = probeBench(passthrough, own, env);
  if (bench.kind === 'help') return { kind: 'help', text: helpText() };
  const { threads } = bench.options.sweep;
  const { pages } = bench.options.model;
  if (sizeMib !== null) checkSizeMib(sizeMib, fsList, threads, pages);

  const runsPath = sidecarPath(csvPath);
  checkOutputs(csvPath, runsPath, parsed.given.has('csvPath'), force);
  return { kind: 'run', args: { fsList, optionSets, sizeMib, csvPath, runsPath, force, passthrough, threads, pages } };
}
