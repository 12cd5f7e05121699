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

import { parseResultsCsv, readRunsFile } from '../../rows/read.js';
import type { Row } from '../../rows/rows.js';
import type { RunRecord } from '../../rows/runs.js';
import { writeResultFiles } from '../../rows/write.js';
import { quote } from '../errors.js';
import { FS_PACKAGE, MIB, MKFS_FLAGS, LOOP_DEV_RE, imageSizeMib, type FsName, type LoopFs } from './constants.js';
import type { MatrixArgs } from './args.js';

export * from './constants.js';
export * from './args.js';
import { fmtRate } from '../../output/format.js';
import { textTable } from '../../output/text-table.js';

// ---------------------------------------------------------------------------
// Planning (pure)

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
  /** Rows merged from this combination. */
  rows: Row[];
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

export interface RunnerOptions {
  /** Where the private temp directories go; default os.tmpdir(). */
  readonly tmpRoot?: string;
  /** Waits for the bench to exit after a forwarded signal, then SIGKILL; ms. */
  readonly childGraceMs?: number;
}

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
  private readonly rows: Row[] = [];
  private readonly runLines: RunRecord[] = [];
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
    let rows: Row[];
    try {
      rows = parseResultsCsv(text, `the bench's CSV ${quote(csv)}`);
    } catch (e) {
      r.status = 'failed';
      r.reason = (e as Error).message;
      return;
    }
    const wrong = rows.find((row) => row.fs_type !== r.combo.fs);
    if (wrong) {
      r.status = 'failed';
      r.reason = `the bench measured ${quote(wrong.fs_type)}, not ${r.combo.fs}: the mount is not where it was expected`;
      return;
    }
    r.rows = rows;
    this.rows.push(...rows);
    try {
      this.runLines.push(...(readRunsFile(csv) ?? []));
    } catch {
      // No usable sidecar: the results rows still stand.
    }
  }

  private save(): void {
    writeResultFiles(this.plan.csvPath, this.rows, this.runLines);
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

/** Columns before `firstRight` left-aligned, the rest right-aligned. */
function alignTable(header: string[], body: string[][], firstRight: number): string[] {
  return textTable(header, body, (i) => (i < firstRight ? 'left' : 'right'));
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
