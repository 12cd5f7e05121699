/**
 * `npm run bench:fs`: the kernel target on several file systems and mount
 * option sets, each on a file system of its own made for the purpose:
 *
 *   sparse image in a private temp dir → losetup --find --show → mkfs.<fs>
 *   → mount -o <options> at <tmp>/mnt → bench --target kernel --dir <tmp>/mnt
 *   → umount → losetup -d → rm -r <tmp>
 *
 * (tmpfs: mount -t tmpfs -o size=…,<options>, no image and no loop device),
 * then one CSV with every combination's rows and one merged `.runs.csv`.
 *
 * Three layers, so the first two can be tested without root:
 *  - parseMatrixArgs / planMatrix: pure (apart from the stat calls option
 *    checks make): which combinations, which are skipped and why, image sizes,
 *    command lines (`commands`, `benchArgs`);
 *  - MatrixRunner: the effects, through the small `Effects` interface (run a
 *    short command, spawn the bench, list mounts); tests pass a fake;
 *  - realEffects / realHost: the real thing.
 *
 * Clean-up is by construction: every loop device (the path losetup printed)
 * and mount point (inside our own mkdtemp directory) is pushed on a stack the
 * moment it exists, and only what is on the stack is ever unmounted or
 * detached, in reverse order; the same stack is unwound on success, on a
 * failing step or child, on an exception, on SIGINT/SIGTERM (synchronously,
 * from the signal handler) and at process exit.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import { RUNS_COLUMNS, sidecarPath } from '../../analysis/compare.js';
import { csvLine, parseCsv } from '../../rows/csv.js';
import { Errors, UsageError, listAlternatives, quote } from '../errors.js';
import { checkWritable, parseBenchArgs } from '../options.js';
import { COLUMNS } from '../../rows/rows.js';
import { fmtRate } from '../../output/table.js';

// ---------------------------------------------------------------------------
// Constants

export const FS_NAMES = ['ext4', 'xfs', 'btrfs', 'tmpfs'] as const;
export type FsName = (typeof FS_NAMES)[number];
/** File systems made on a loop device (tmpfs needs neither image nor device). */
export type LoopFs = Exclude<FsName, 'tmpfs'>;

/** Smallest file system worth making, MiB: mkfs.xfs refuses below 300 MiB, small btrfs switches to mixed block groups. */
export const FS_MIN_MIB: Readonly<Record<FsName, number>> = { ext4: 64, xfs: 512, btrfs: 512, tmpfs: 16 };
/** Quiet and forced (the image is brand new, there is nothing to protect on it). */
export const MKFS_FLAGS: Readonly<Record<LoopFs, readonly string[]>> = {
  ext4: ['-q', '-F'],
  xfs: ['-q', '-f'],
  btrfs: ['-q', '-f'],
};
/** Debian package that provides mkfs.<fs>, for the "missing tool" reason. */
export const FS_PACKAGE: Readonly<Record<LoopFs, string>> = { ext4: 'e2fsprogs', xfs: 'xfsprogs', btrfs: 'btrfs-progs' };

export const PAGE_BYTES = 4096;
export const MIB = 1024 * 1024;
/** Headroom over the bytes the bench's files need. */
export const HEADROOM = 1.25;
export const MAX_SIZE_MIB = 1024 * 1024; // 1 TiB: sparse, but the host must hold what gets written
export const DEFAULT_MOUNT_OPTIONS = ['relatime', 'lazytime'] as const;

/** Bench options this tool sets per combination; the user may not give them. `--csv` is ours (the merged file). */
export const FORBIDDEN_OPTIONS = ['--target', '--dir', '--json', '--report'] as const;
const OWN_VALUE_OPTIONS = ['--fs', '--mount-options', '--size-mib', '--csv'] as const;
const OWN_FLAG_OPTIONS = ['--force', '--help'] as const;
const OWN_OPTIONS: readonly string[] = [...OWN_VALUE_OPTIONS, ...OWN_FLAG_OPTIONS];
/** One mount option: no commas (sets are comma lists), no spaces, nothing a mount option never contains. */
const MOUNT_OPTION_RE = /^[A-Za-z0-9_.:=/@-]+$/;
const LOOP_DEV_RE = /^\/dev\/loop\d+$/;

// ---------------------------------------------------------------------------
// Arguments

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

export type MatrixParse = { kind: 'help'; text: string } | { kind: 'run'; args: MatrixArgs };

export interface ParseEnv {
  readonly cwd: string;
  readonly now: Date;
  readonly cores: number;
  /** An existing writable directory for checking the passthrough options; default os.tmpdir(). */
  readonly probeDir?: string;
}

function splitList(flag: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw Errors.emptyItem(flag, raw);
  return items;
}

function parseFsList(raw: string): FsName[] {
  const chosen = new Set<string>();
  for (const item of splitList('--fs', raw)) {
    if (item === 'all') FS_NAMES.forEach((n) => chosen.add(n));
    else if ((FS_NAMES as readonly string[]).includes(item)) chosen.add(item);
    else throw Errors.unknownName('--fs', item, [...FS_NAMES, 'all']);
  }
  return FS_NAMES.filter((n) => chosen.has(n));
}

/** `relatime,noatime+lazytime` → ['relatime', 'noatime,lazytime']: commas separate sets, `+` joins the options of one set. */
function parseOptionSets(raw: string): string[] {
  const sets: string[] = [];
  for (const item of splitList('--mount-options', raw)) {
    const opts = item.split('+').map((s) => s.trim());
    for (const o of opts) {
      if (o === '') throw new UsageError(`--mount-options: empty option in ${quote(item)}; join the options of one set with single '+'`, '--mount-options');
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

function fileTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export function helpText(): string {
  return [
    'Usage: npm run bench:fs -- [--fs LIST] [--mount-options LIST] [--size-mib N] [--csv PATH] [--force] [bench options...]',
    '',
    'Runs the kernel target (will-it-scale page_fault3, npm run bench -- --target kernel) once per file system',
    'and mount option set, each on a fresh file system: a sparse image on a loop device (ext4, xfs, btrfs) or a',
    'tmpfs, mounted in a private temp directory and removed afterwards. Needs root; a file system whose mkfs is',
    'missing is skipped. Writes one CSV with every combination\'s rows (fs_type and mount_options say which)',
    'and a merged .runs.csv beside it.',
    '',
    `  --fs LIST             File systems: ${listAlternatives([...FS_NAMES, 'all'])}. Default: all.`,
    '  --mount-options LIST  Mount option sets, comma-separated; join options of one set with +, e.g.',
    `                        relatime,noatime+lazytime. Default: ${DEFAULT_MOUNT_OPTIONS.join(',')}.`,
    '  --size-mib N          Size of each file system, MiB. Default: max threads × pages × 4 KiB + 25%, plus the',
    `                        file system's minimum (${FS_NAMES.map((f) => `${f} ${FS_MIN_MIB[f]}`).join(', ')}).`,
    '  --csv PATH            Merged CSV. Default: results/fs-<UTC timestamp>.csv.',
    '  --force               Overwrite the merged CSV and its .runs.csv if they exist.',
    '  --help, -h            Show this help.',
    '',
    'Every other option goes to the bench as given (--threads, --runs, --duration, --pages, --quick, ...; see',
    `npm run bench -- --help); ${listAlternatives(FORBIDDEN_OPTIONS)} are set here per combination.`,
    'Exit status: 0 when at least one combination ran and none failed, 1 when one failed or none ran,',
    '2 for bad input, 130/143 after SIGINT/SIGTERM (everything created is removed first).',
    '',
  ].join('\n');
}

/**
 * Splits argv into this tool's options and the bench's, and checks the bench's
 * with the bench's own parser (so a bad --threads is one line here, before any
 * file system is made). Throws UsageError.
 */
export function parseMatrixArgs(argv: readonly string[], env: ParseEnv): MatrixParse {
  const own = new Map<string, string>();
  let force = false;
  let help = false;
  const passthrough: string[] = [];
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
      // A value of the bench option before it (or a stray word, which the bench's parser reports).
      passthrough.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if ((FORBIDDEN_OPTIONS as readonly string[]).includes(name)) {
      fail(new UsageError(`${name}: set by bench:fs for each combination; leave it out`, name));
      // Skip its value too, so it is not taken for a stray word.
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') && name !== '--report') i++;
      continue;
    }
    if ((OWN_FLAG_OPTIONS as readonly string[]).includes(name)) {
      if (inline !== undefined) fail(Errors.unexpectedValue(name, inline));
      else if (name === '--help') help = true;
      else force = true;
      continue;
    }
    if ((OWN_VALUE_OPTIONS as readonly string[]).includes(name)) {
      if (inline !== undefined) {
        own.set(name, inline);
        continue;
      }
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        fail(Errors.missingValue(name));
        continue;
      }
      own.set(name, next);
      i++;
      continue;
    }
    passthrough.push(arg);
  }
  if (help) return { kind: 'help', text: helpText() };
  if (firstError) throw firstError;

  const fsRaw = own.get('--fs');
  const fsList = fsRaw === undefined ? [...FS_NAMES] : parseFsList(fsRaw);
  const optRaw = own.get('--mount-options');
  const optionSets = optRaw === undefined ? [...DEFAULT_MOUNT_OPTIONS] : parseOptionSets(optRaw);
  const sizeRaw = own.get('--size-mib');
  let sizeMib: number | null = null;
  if (sizeRaw !== undefined) {
    if (!/^\+?\d+$/.test(sizeRaw)) throw Errors.notInteger('--size-mib', sizeRaw, 1, MAX_SIZE_MIB);
    sizeMib = Number(sizeRaw);
    if (!(sizeMib >= 1 && sizeMib <= MAX_SIZE_MIB)) throw Errors.outOfRange('--size-mib', sizeRaw, 1, MAX_SIZE_MIB);
  }

  // The bench's parser checks everything else and tells us the threads and pages it will use.
  const probeDir = env.probeDir ?? os.tmpdir();
  let bench;
  try {
    bench = parseBenchArgs(
      [...passthrough, '--target', 'kernel', '--dir', probeDir, '--csv', nodePath.join(probeDir, `faultscale-fsmatrix-probe-${process.pid}.csv`), '--force'],
      { cores: env.cores, now: env.now, cwd: env.cwd },
    );
  } catch (e) {
    if (e instanceof UsageError && e.option !== undefined && / unknown option/.test(e.message)) {
      throw new UsageError(
        `${e.message.slice(0, e.message.indexOf(': unknown option'))}: unknown option; bench:fs options are ${listAlternatives(OWN_OPTIONS)}, ` +
          'and every other bench option is passed through (npm run bench -- --help lists them)',
        e.option,
      );
    }
    throw e;
  }
  if (bench.kind === 'help') return { kind: 'help', text: helpText() };
  const { threads, pages } = bench.options;

  if (sizeMib !== null) {
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
        throw new UsageError(`--size-mib: ${sizeMib} MiB is too small for ${f}; it needs at least ${FS_MIN_MIB[f]} MiB`, '--size-mib');
      }
    }
  }

  const csvRaw = own.get('--csv');
  if (csvRaw === '') throw Errors.emptyPath('--csv');
  const csvPath =
    csvRaw === undefined
      ? nodePath.resolve(env.cwd, 'results', `fs-${fileTimestamp(env.now)}.csv`)
      : nodePath.resolve(env.cwd, csvRaw) + (/[\\/]$/.test(csvRaw) ? nodePath.sep : '');
  const runsPath = sidecarPath(csvPath);
  if (csvRaw !== undefined || fs.existsSync(nodePath.dirname(csvPath))) {
    checkWritable('--csv', csvPath);
    checkWritable('--csv', runsPath);
  }
  if (!force) {
    for (const p of [csvPath, runsPath]) if (fs.existsSync(p)) throw Errors.exists('--csv', p);
  }
  return { kind: 'run', args: { fsList, optionSets, sizeMib, csvPath, runsPath, force, passthrough, threads, pages } };
}

// ---------------------------------------------------------------------------
// Planning (pure)

/** MiB the bench's files take on one file system, with headroom: every writer's file (separate-file) × 1.25. */
export function dataMib(threads: readonly number[], pages: number): number {
  return Math.ceil((Math.max(...threads) * pages * PAGE_BYTES * HEADROOM) / MIB);
}

/** The file system size: the files with headroom plus the file system's minimum (its metadata, journal, log). */
export function imageSizeMib(fsName: FsName, threads: readonly number[], pages: number): number {
  return Math.min(MAX_SIZE_MIB, dataMib(threads, pages) + FS_MIN_MIB[fsName]);
}

export interface HostEnv {
  readonly isRoot: boolean;
  /** Absolute path of an executable (PATH, then the sbin directories), or null. */
  which(tool: string): string | null;
  /** false when the kernel surely cannot mount it (not registered, no modules to load); null when it may. */
  kernelHasFs(fsName: FsName): boolean | null;
}

export interface Tools {
  readonly losetup: string;
  readonly mount: string;
  readonly umount: string;
  /** mkfs.<fs>; '' for tmpfs. */
  readonly mkfs: string;
}

export interface PlannedCombo {
  readonly fs: FsName;
  /** As `mount -o` takes it. */
  readonly mountOptions: string;
  /** `ext4 -o relatime`. */
  readonly label: string;
  /** File-name-safe `ext4-relatime`. */
  readonly stem: string;
  readonly sizeMib: number;
  /** Why it will not run, or null. */
  readonly skip: string | null;
  readonly tools: Tools;
}

export interface MatrixPlan {
  readonly combos: readonly PlannedCombo[];
  readonly csvPath: string;
  readonly runsPath: string;
  readonly passthrough: readonly string[];
}

export function comboStem(fsName: FsName, mountOptions: string): string {
  return `${fsName}-${mountOptions.replace(/,/g, '+').replace(/[^A-Za-z0-9._+=-]/g, '_')}`;
}

/** Every (fs, option set) in order, each with its reason to be skipped (not root, a missing tool, no kernel support) or none. */
export function planMatrix(args: MatrixArgs, host: HostEnv): MatrixPlan {
  const need = (tool: string, pkg: string): { path: string; missing: string | null } => {
    const p = host.which(tool);
    return { path: p ?? '', missing: p === null ? `${tool} not found (install ${pkg})` : null };
  };
  const losetup = need('losetup', 'util-linux');
  const mount = need('mount', 'mount');
  const umount = need('umount', 'mount');
  const combos: PlannedCombo[] = [];
  for (const f of args.fsList) {
    const mkfs = f === 'tmpfs' ? { path: '', missing: null } : need(`mkfs.${f}`, FS_PACKAGE[f]);
    const required = f === 'tmpfs' ? [mount, umount] : [losetup, mkfs, mount, umount];
    const missing = required.map((t) => t.missing).filter((m): m is string => m !== null);
    let skip: string | null = null;
    if (!host.isRoot) skip = f === 'tmpfs' ? 'not running as root: mounting a tmpfs needs root' : 'not running as root: loop devices and mounts need root';
    else if (missing.length > 0) skip = missing.join('; ');
    else if (host.kernelHasFs(f) === false) skip = `the kernel cannot mount ${f} (not in /proc/filesystems, no modules to load)`;
    for (const o of args.optionSets) {
      combos.push({
        fs: f,
        mountOptions: o,
        label: `${f} -o ${o}`,
        stem: comboStem(f, o),
        sizeMib: args.sizeMib ?? imageSizeMib(f, args.threads, args.pages),
        skip,
        tools: { losetup: losetup.path, mount: mount.path, umount: umount.path, mkfs: mkfs.path },
      });
    }
  }
  return { combos, csvPath: args.csvPath, runsPath: args.runsPath, passthrough: args.passthrough };
}

export interface Command {
  readonly cmd: string;
  readonly args: readonly string[];
}

/** The command lines, for a combination and the device / mount point it got. */
export const commands = {
  attach: (t: Tools, image: string): Command => ({ cmd: t.losetup, args: ['--find', '--show', image] }),
  /** Loop devices backed by our image (to find one losetup attached but did not print). */
  backing: (t: Tools, image: string): Command => ({ cmd: t.losetup, args: ['--associated', image] }),
  mkfs: (c: PlannedCombo, dev: string): Command => ({ cmd: c.tools.mkfs, args: [...MKFS_FLAGS[c.fs as LoopFs], dev] }),
  mount: (c: PlannedCombo, dev: string | null, mnt: string): Command =>
    c.fs === 'tmpfs'
      ? { cmd: c.tools.mount, args: ['-t', 'tmpfs', '-o', `size=${c.sizeMib}m,${c.mountOptions}`, 'tmpfs', mnt] }
      : { cmd: c.tools.mount, args: ['-t', c.fs, '-o', c.mountOptions, dev ?? '', mnt] },
  umount: (t: Tools, mnt: string): Command => ({ cmd: t.umount, args: [mnt] }),
  /** Last resort for our own mount when it stays busy: detach it now, the kernel frees it when idle. */
  umountLazy: (t: Tools, mnt: string): Command => ({ cmd: t.umount, args: ['-l', mnt] }),
  detach: (t: Tools, dev: string): Command => ({ cmd: t.losetup, args: ['-d', dev] }),
} as const;

/** The bench's argv: the user's options, then what this tool sets. */
export function benchArgs(passthrough: readonly string[], mnt: string, csv: string): string[] {
  return [...passthrough, '--target', 'kernel', '--dir', mnt, '--csv', csv];
}

// ---------------------------------------------------------------------------
// Effects

export interface ExecResult {
  /** Exit status, or null when killed or not started. */
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Why it could not be started (ENOENT, ...). */
  readonly error?: string;
}

export interface BenchChild {
  readonly done: Promise<ExecResult>;
  kill(sig: NodeJS.Signals): void;
  /** Blocks until the child has exited (a zombie counts) or `ms` passed; true when it exited. */
  waitExitSync(ms: number): boolean;
}

export interface Effects {
  /** Runs a short command to completion (losetup, mkfs, mount, umount). */
  exec(cmd: string, args: readonly string[]): ExecResult;
  /** Starts the bench CLI with these arguments; `label` prefixes its progress lines. */
  spawnBench(args: readonly string[], label: string): BenchChild;
  /** Mount points at or below `dir` (a real path), from /proc/self/mounts; throws when it cannot tell. */
  mountedUnder(dir: string): string[];
  sleepSync(ms: number): void;
  /** Results (stdout). */
  out(line: string): void;
  /** Progress and problems (stderr). */
  err(line: string): void;
}

/** `pending` until its turn; `not-run` when an interruption came first. */
export type ComboStatus = 'pending' | 'ran' | 'failed' | 'skipped' | 'interrupted' | 'not-run';

export interface ComboResult {
  readonly combo: PlannedCombo;
  status: ComboStatus;
  reason: string | null;
  /** Rows merged from this combination, keyed by column. */
  rows: Record<string, string>[];
}

export interface MatrixOutcome {
  readonly results: readonly ComboResult[];
  readonly interrupted: NodeJS.Signals | null;
  readonly exitCode: number;
}

type Held =
  | { readonly kind: 'dir'; readonly path: string; readonly image: string | null; readonly tools: Tools }
  | { readonly kind: 'loop'; readonly dev: string; readonly tools: Tools }
  | { readonly kind: 'mount'; readonly path: string; readonly tools: Tools };

function cmdLine(c: Command): string {
  return [c.cmd, ...c.args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quote(a))).join(' ');
}

function why(r: ExecResult): string {
  if (r.error) return r.error;
  const last = r.stderr.trim().split('\n').filter((l) => l.trim() !== '').at(-1) ?? r.stdout.trim().split('\n').at(-1) ?? '';
  const how = r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`;
  return last ? `${how}: ${last.trim()}` : how;
}

class StepError extends Error {}

/** Header → column index; rows as arrays in `columns` order (missing columns empty). */
function recordsByName(text: string, columns: readonly string[]): string[][] {
  const [header, ...body] = parseCsv(text);
  if (!header) return [];
  const at = columns.map((c) => header.indexOf(c));
  return body.map((rec) => at.map((i) => (i >= 0 ? (rec[i] ?? '') : '')));
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export interface RunnerOptions {
  /** Where the private temp directories go; default os.tmpdir(). */
  readonly tmpRoot?: string;
  /** Waits for the bench to exit after a forwarded signal, then SIGKILL; ms. */
  readonly childGraceMs?: number;
}

const RESULT_COLUMNS: readonly string[] = COLUMNS.map((c) => c[0]);

/**
 * Runs a plan. `run()` once; `interrupt(sig)` from a signal handler (sync: it
 * forwards the signal, waits for the bench, merges what it wrote, unwinds
 * everything and returns the exit status to exit with); `cleanup()` from an
 * exit handler (idempotent).
 */
export class MatrixRunner {
  readonly plan: MatrixPlan;
  readonly fx: Effects;
  readonly results: ComboResult[];
  private readonly tmpRoot: string;
  private readonly childGraceMs: number;
  private readonly held: Held[] = [];
  private readonly rows: string[][] = [];
  private readonly runLines: string[][] = [];
  private child: BenchChild | null = null;
  private current: { result: ComboResult; csv: string } | null = null;
  private interruptedBy: NodeJS.Signals | null = null;
  private started = false;
  private saved = false;

  constructor(plan: MatrixPlan, fx: Effects, opts: RunnerOptions = {}) {
    this.plan = plan;
    this.fx = fx;
    this.tmpRoot = opts.tmpRoot ?? os.tmpdir();
    this.childGraceMs = opts.childGraceMs ?? 15_000;
    this.results = plan.combos.map((combo) => ({ combo, status: combo.skip === null ? 'pending' : 'skipped', reason: combo.skip, rows: [] }));
  }

  /** What is held right now, outermost first (for tests and messages). */
  heldNow(): string[] {
    return this.held.map((h) => (h.kind === 'loop' ? `loop ${h.dev}` : `${h.kind} ${h.path}`));
  }

  async run(): Promise<MatrixOutcome> {
    if (this.started) throw new Error('MatrixRunner.run() called twice');
    this.started = true;
    const runnable = this.results.filter((r) => r.combo.skip === null);
    for (const r of this.results) if (r.combo.skip !== null) this.fx.err(`skip ${r.combo.label}: ${r.combo.skip}`);
    if (runnable.length > 0) {
      fs.mkdirSync(nodePath.dirname(this.plan.csvPath), { recursive: true });
      this.save();
    }
    try {
      let n = 0;
      for (const r of runnable) {
        // Let a pending SIGINT/SIGTERM handler run before setting up the next file system.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.interruptedBy) break;
        n++;
        this.fx.err(`[${n}/${runnable.length}] ${r.combo.label} (${r.combo.sizeMib} MiB)`);
        await this.runCombo(r);
        if (this.interruptedBy) break;
        if (r.status === 'failed') this.fx.err(`faultscale: ${r.combo.label} failed: ${r.reason}`);
        if (r.rows.length > 0) this.save();
      }
    } finally {
      if (!this.interruptedBy) {
        const left = this.releaseTo(0);
        if (left.length > 0) this.fx.err(`faultscale: clean-up: ${left.join('; ')}`);
      }
    }
    this.printSummary();
    return { results: this.results, interrupted: this.interruptedBy, exitCode: this.exitCode() };
  }

  exitCode(): number {
    if (this.interruptedBy) return this.interruptedBy === 'SIGTERM' ? 143 : 130;
    if (this.results.some((r) => r.status === 'failed' || r.status === 'interrupted')) return 1;
    return this.results.some((r) => r.status === 'ran') ? 0 : 1;
  }

  /**
   * For SIGINT / SIGTERM: forwards the signal to the bench, waits for it to
   * exit (SIGKILL after the grace period), keeps the rows it wrote, unmounts,
   * detaches and removes everything held, prints the summary. Synchronous.
   * Returns 130 (SIGINT) or 143 (SIGTERM).
   */
  interrupt(sig: NodeJS.Signals): number {
    if (this.interruptedBy) return this.exitCode();
    this.interruptedBy = sig;
    const child = this.child;
    if (child) {
      child.kill(sig);
      if (!child.waitExitSync(this.childGraceMs)) {
        this.fx.err(`faultscale: the bench did not stop within ${this.childGraceMs} ms of ${sig}: killing it`);
        child.kill('SIGKILL');
        child.waitExitSync(5000);
      }
    }
    if (this.current) {
      const { result, csv } = this.current;
      result.status = 'interrupted';
      result.reason = `interrupted by ${sig}`;
      try {
        this.merge(result, csv);
        if (result.rows.length > 0) this.save();
      } catch (e) {
        this.fx.err(`faultscale: could not keep the interrupted combination's rows: ${(e as Error).message}`);
      }
    }
    for (const r of this.results) {
      if (r.status === 'pending') {
        r.status = 'not-run';
        r.reason = `interrupted by ${sig} before its turn`;
      }
    }
    const left = this.releaseTo(0);
    if (left.length > 0) this.fx.err(`faultscale: clean-up: ${left.join('; ')}`);
    this.fx.err(`interrupted by ${sig}: stopped; everything bench:fs created was removed`);
    this.printSummary();
    return this.exitCode();
  }

  /** Unwinds everything still held (idempotent); returns what could not be cleaned. */
  cleanup(): string[] {
    return this.releaseTo(0);
  }

  private async runCombo(r: ComboResult): Promise<void> {
    const c = r.combo;
    const mark = this.held.length;
    r.status = 'ran';
    r.reason = null;
    try {
      const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(this.tmpRoot, `faultscale-fs-${c.stem}-`)));
      const image = c.fs === 'tmpfs' ? null : nodePath.join(dir, 'image');
      this.held.push({ kind: 'dir', path: dir, image, tools: c.tools });
      const mnt = nodePath.join(dir, 'mnt');
      fs.mkdirSync(mnt);
      let dev: string | null = null;
      if (image !== null) {
        // Sparse: only the blocks the file system writes take space.
        const fd = fs.openSync(image, 'wx', 0o600);
        try {
          fs.ftruncateSync(fd, c.sizeMib * MIB);
        } finally {
          fs.closeSync(fd);
        }
        const out = this.step(commands.attach(c.tools, image), 'losetup').stdout.trim();
        dev = LOOP_DEV_RE.test(out) ? out : null;
        if (dev === null) {
          // Attached but printed something else: find it by its backing file, which is ours.
          const found = this.loopsBacking(c.tools, image);
          for (const d of found) this.held.push({ kind: 'loop', dev: d, tools: c.tools });
          throw new StepError(`losetup printed ${quote(out)}, not a loop device path`);
        }
        this.held.push({ kind: 'loop', dev, tools: c.tools });
        this.step(commands.mkfs(c, dev), `mkfs.${c.fs}`);
      }
      let mounted = false;
      try {
        this.step(commands.mount(c, dev, mnt), 'mount');
        mounted = true;
      } finally {
        // Held when mounted, even if mount said otherwise (so it is unmounted before the device is detached).
        if (mounted || this.isMountPoint(mnt)) this.held.push({ kind: 'mount', path: mnt, tools: c.tools });
      }
      if (this.interruptedBy) return;

      const csv = nodePath.join(dir, `${c.stem}.csv`);
      this.current = { result: r, csv };
      const child = this.fx.spawnBench(benchArgs(this.plan.passthrough, mnt, csv), c.label);
      this.child = child;
      const res = await child.done;
      this.child = null;
      if (this.interruptedBy) return; // interrupt() merged, cleaned up and set the status
      this.current = null;
      this.merge(r, csv);
      if (res.status !== 0) {
        r.status = 'failed';
        r.reason = `bench ${why(res)}${r.reason ? `; ${r.reason}` : ''}`;
        const tail = res.stdout.trim().split('\n').slice(-15);
        if (tail.length > 0 && tail[0] !== '') for (const line of tail) this.fx.err(`  [${c.label}] ${line}`);
      } else if (r.status === 'ran' && r.rows.length === 0) {
        r.status = 'failed';
        r.reason = 'the bench wrote no rows';
      }
    } catch (e) {
      if (this.interruptedBy) return;
      r.status = 'failed';
      r.reason = e instanceof StepError ? e.message : `${(e as Error).message ?? String(e)}`;
    } finally {
      this.current = null;
      if (!this.interruptedBy) {
        const left = this.releaseTo(mark);
        if (left.length > 0) {
          r.status = 'failed';
          r.reason = `${r.reason ? `${r.reason}; ` : ''}clean-up: ${left.join('; ')}`;
        }
      }
    }
  }

  /** Runs one setup command; throws StepError with its command line and reason when it fails. */
  private step(c: Command, what: string): ExecResult {
    const r = this.fx.exec(c.cmd, c.args);
    if (r.status !== 0) throw new StepError(`${what} failed: ${cmdLine(c)}: ${why(r)}`);
    return r;
  }

  /** Reads the bench's CSV and sidecar into the merged rows; rows of another file system than the one made are refused. */
  private merge(r: ComboResult, csv: string): void {
    let text: string;
    try {
      text = fs.readFileSync(csv, 'utf8');
    } catch {
      return;
    }
    const recs = recordsByName(text, RESULT_COLUMNS);
    const fsAt = RESULT_COLUMNS.indexOf('fs_type');
    const wrong = recs.find((rec) => rec[fsAt] !== r.combo.fs);
    if (wrong) {
      r.status = 'failed';
      r.reason = `the bench measured ${quote(wrong[fsAt] ?? '')}, not ${r.combo.fs}: the mount is not where it was expected`;
      return;
    }
    r.rows = recs.map((rec) => Object.fromEntries(RESULT_COLUMNS.map((col, i) => [col, rec[i] ?? ''])));
    this.rows.push(...recs);
    try {
      this.runLines.push(...recordsByName(fs.readFileSync(sidecarPath(csv), 'utf8'), RUNS_COLUMNS));
    } catch {
      // No sidecar: the results rows still stand.
    }
  }

  private save(): void {
    writeAtomic(this.plan.csvPath, csvLine(RESULT_COLUMNS) + this.rows.map((x) => csvLine(x)).join(''));
    writeAtomic(this.plan.runsPath, csvLine(RUNS_COLUMNS) + this.runLines.map((x) => csvLine(x)).join(''));
    this.saved = true;
  }

  private isMountPoint(p: string): boolean {
    try {
      return this.fx.mountedUnder(p).includes(p);
    } catch {
      return false;
    }
  }

  private loopsBacking(t: Tools, image: string): string[] {
    const c = commands.backing(t, image);
    const r = this.fx.exec(c.cmd, c.args);
    if (r.status !== 0) return [];
    // `/dev/loop3: [2049]:1234 (/tmp/faultscale-fs-…/image)`
    return r.stdout
      .split('\n')
      .map((l) => /^(\/dev\/loop\d+):.*\((.*)\)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[2] === image)
      .map((m) => m[1]!);
  }

  /** Pops and releases what was acquired after `mark`, newest first. Returns problems, one line each. */
  private releaseTo(mark: number): string[] {
    const problems: string[] = [];
    while (this.held.length > mark) {
      const h = this.held.pop()!;
      try {
        const p = this.release(h);
        if (p) problems.push(p);
      } catch (e) {
        problems.push(`${h.kind}: ${(e as Error).message}`);
      }
    }
    return problems;
  }

  private release(h: Held): string | null {
    if (h.kind === 'mount') return this.unmount(h.tools, h.path);
    if (h.kind === 'loop') return this.detach(h.tools, h.dev);
    // Our private directory: anything still mounted below it, or a loop device still backed by its image,
    // can only be ours (it was created inside mkdtemp's directory); release those before removing it.
    const problems: string[] = [];
    const stray = this.fx.mountedUnder(h.path).sort((a, b) => b.length - a.length);
    for (const mp of stray) {
      const p = this.unmount(h.tools, mp);
      if (p) problems.push(p);
    }
    if (h.image !== null && fs.existsSync(h.image) && h.tools.losetup !== '') {
      for (const dev of this.loopsBacking(h.tools, h.image)) {
        const p = this.detach(h.tools, dev);
        if (p) problems.push(p);
      }
    }
    if (this.fx.mountedUnder(h.path).length > 0) {
      problems.push(`left ${h.path} in place: something is still mounted below it`);
      return problems.join('; ');
    }
    fs.rmSync(h.path, { recursive: true, force: true });
    return problems.length > 0 ? problems.join('; ') : null;
  }

  private unmount(t: Tools, mnt: string): string | null {
    let last: ExecResult | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) this.fx.sleepSync(200);
      const c = commands.umount(t, mnt);
      last = this.fx.exec(c.cmd, c.args);
      if (last.status === 0) return null;
      if (!/busy/i.test(last.stderr)) break;
    }
    if (last && /busy/i.test(last.stderr)) {
      const c = commands.umountLazy(t, mnt);
      const r = this.fx.exec(c.cmd, c.args);
      if (r.status === 0) return null;
    }
    return `could not unmount ${mnt}: ${last ? why(last) : '?'}`;
  }

  private detach(t: Tools, dev: string): string | null {
    let last: ExecResult | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) this.fx.sleepSync(100);
      const c = commands.detach(t, dev);
      last = this.fx.exec(c.cmd, c.args);
      if (last.status === 0) return null;
    }
    return `could not detach ${dev}: ${last ? why(last) : '?'}`;
  }

  private printSummary(): void {
    for (const line of formatSummary(this.results)) this.fx.out(line);
    if (this.saved) {
      this.fx.out(`${this.rows.length} rows written to ${this.plan.csvPath} (per-run samples: ${this.plan.runsPath})`);
    }
  }
}

// ---------------------------------------------------------------------------
// Output

/** faults/s per combination (rows) and thread count (columns), then each combination's status and reason. */
export function formatSummary(results: readonly ComboResult[]): string[] {
  const out: string[] = [];
  const withRows = results.filter((r) => r.rows.length > 0);
  if (withRows.length > 0) {
    const threads = [...new Set(withRows.flatMap((r) => r.rows.map((x) => Number(x.threads))))].sort((a, b) => a - b);
    const workloads = [...new Set(withRows.flatMap((r) => r.rows.map((x) => x.workload ?? '')))];
    const header = ['fs', 'mount options', ...(workloads.length > 1 ? ['workload'] : []), ...threads.map((t) => `${t} thread${t === 1 ? '' : 's'}`)];
    const body: string[][] = [];
    for (const r of withRows) {
      for (const w of workloads) {
        const mine = r.rows.filter((x) => (x.workload ?? '') === w);
        if (mine.length === 0) continue;
        body.push([
          r.combo.fs,
          r.combo.mountOptions,
          ...(workloads.length > 1 ? [w] : []),
          ...threads.map((t) => {
            const x = mine.find((row) => Number(row.threads) === t);
            if (!x) return '';
            const ci = Number(x.ci95_halfwidth_share);
            const runs = Number(x.runs);
            return `${fmtRate(Number(x.faults_per_sec_mean))}${runs > 1 && Number.isFinite(ci) ? ` ±${(ci * 100).toFixed(1)}%` : ''}`;
          }),
        ]);
      }
    }
    out.push('', 'faults/s (mean ± 95% CI half-width), kernel target, per file system and mount option set:');
    out.push(...alignTable(header, body, 2));
  }
  out.push('', 'combinations:');
  out.push(
    ...alignTable(
      ['fs', 'mount options', 'status', 'rows', 'note'],
      results.map((r) => [r.combo.fs, r.combo.mountOptions, r.status, String(r.rows.length), r.reason ?? '']),
      99,
    ),
  );
  const count = (s: ComboStatus): number => results.filter((r) => r.status === s).length;
  const extra = (['interrupted', 'not-run'] as const).filter((s) => count(s) > 0).map((s) => `, ${count(s)} ${s}`).join('');
  out.push(`${count('ran')} ran, ${count('failed')} failed, ${count('skipped')} skipped${extra}`);
  return out;
}

/** Columns before `firstRight` left-aligned, the rest right-aligned; the last column is never padded. */
function alignTable(header: string[], body: string[][], firstRight: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 && i < firstRight ? c : i < firstRight ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

// ---------------------------------------------------------------------------
// The real host and effects

const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin'];

export function realHost(): HostEnv {
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    which(tool) {
      const dirs = [...(process.env.PATH ?? '').split(':').filter((d) => d !== ''), ...SBIN];
      for (const d of dirs) {
        const p = nodePath.join(d, tool);
        try {
          if (fs.statSync(p).isFile()) {
            fs.accessSync(p, fs.constants.X_OK);
            return p;
          }
        } catch {
          // not here
        }
      }
      return null;
    },
    kernelHasFs(fsName) {
      try {
        const listed = fs
          .readFileSync('/proc/filesystems', 'utf8')
          .split('\n')
          .some((l) => l.split('\t').at(-1)?.trim() === fsName);
        if (listed) return true;
      } catch {
        return null;
      }
      return fs.existsSync(`/lib/modules/${os.release()}`) ? null : false;
    },
  };
}

function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount points at or below `dir` in a /proc/self/mounts text. */
export function mountPointsUnder(mountsText: string, dir: string): string[] {
  const base = dir.replace(/\/+$/, '');
  return mountsText
    .split('\n')
    .map((l) => l.split(' ')[1])
    .filter((f): f is string => f !== undefined)
    .map(unescapeMountField)
    .filter((mp) => mp === base || mp.startsWith(`${base}/`));
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** Forwards a stream's lines to `write`, each prefixed. */
function lineForwarder(prefix: string, write: (line: string) => void): { push(chunk: string): void; flush(): void } {
  let buf = '';
  return {
    push(chunk) {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        write(`${prefix}${buf.slice(0, nl)}`);
        buf = buf.slice(nl + 1);
      }
    },
    flush() {
      if (buf !== '') write(`${prefix}${buf}`);
      buf = '';
    },
  };
}

export function realEffects(opts: { benchCli: string; out?: (line: string) => void; err?: (line: string) => void }): Effects {
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = opts.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    exec(cmd, args) {
      const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, killSignal: 'SIGKILL' });
      return {
        status: r.status,
        signal: r.signal,
        stdout: r.stdout ?? '',
        stderr: r.stderr ?? '',
        ...(r.error ? { error: r.error.message } : {}),
      };
    },
    spawnBench(args, label) {
      const child = spawn(process.execPath, [opts.benchCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const fwd = lineForwarder(`  [${label}] `, err);
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        fwd.push(d);
      });
      const done = new Promise<ExecResult>((resolve) => {
        child.on('error', (e) => resolve({ status: null, signal: null, stdout, stderr, error: e.message }));
        child.on('close', (status, signal) => {
          fwd.flush();
          resolve({ status, signal, stdout, stderr });
        });
      });
      return {
        done,
        kill(sig) {
          try {
            child.kill(sig);
          } catch {
            // already gone
          }
        },
        waitExitSync(ms) {
          const pid = child.pid;
          if (pid === undefined) return true;
          const deadline = Date.now() + ms;
          for (;;) {
            if (child.exitCode !== null || child.signalCode !== null) return true;
            let stat: string;
            try {
              stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
            } catch {
              return true; // reaped
            }
            // Not yet reaped (the event loop is blocked), so the pid is still our child's: a zombie has exited.
            const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            if (state === 'Z' || state === 'X') return true;
            if (Date.now() >= deadline) return false;
            sleepSync(20);
          }
        },
      };
    },
    mountedUnder(dir) {
      // Throws when unreadable: the caller must not remove a directory it cannot prove is unmounted.
      return mountPointsUnder(fs.readFileSync('/proc/self/mounts', 'utf8'), dir);
    },
    sleepSync,
    out,
    err,
  };
}
