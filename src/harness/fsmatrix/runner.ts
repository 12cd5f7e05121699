/**
 * bench:fs's runner: makes each combination's file system, runs the bench on
 * it and removes everything it made, through the Effects interface. Clean-up is
 * by construction: only what is on its stack of made things is ever undone.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import { parseResultsCsv, readRunsFile } from '../../rows/read.js';
import type { Row } from '../../rows/rows.js';
import type { RunRecord } from '../../rows/runs.js';
import { writeResultFiles } from '../../rows/write.js';
import { quote } from '../errors.js';
import { MIB, LOOP_DEV_RE } from './constants.js';
import type { MatrixPlan, PlannedCombo, Tools, Command } from './plan.js';
import { benchArgs, commands } from './plan.js';
import type { BenchChild, Effects, ExecResult } from './effects.js';
import { cmdLine, why } from './exec-text.js';
import { HeldStack } from './held.js';
import { formatSummary } from './summary.js';
import type { ComboResult, MatrixOutcome } from './outcome.js';
import { findLeftovers, orphanBenches, ownerAlive, processStart, writeOwner, type OwnerRecord } from './leftovers.js';

class StepError extends Error {}

export interface RunnerOptions {
  /** Where the private temp directories go; default os.tmpdir(). */
  readonly tmpRoot?: string;
  /** Waits for the bench to exit after a forwarded signal, then SIGKILL; ms. */
  readonly childGraceMs?: number;
  /** Whether a leftover's owner still runs; default: its pid exists with the recorded start time. */
  readonly ownerAlive?: (r: OwnerRecord) => boolean;
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
  private readonly alive: (r: OwnerRecord) => boolean;
  /** Items made in the current combination's directory, recorded in its owner file as they appear. */
  private owned: { dir: string; items: string[] } | null = null;
  private readonly held: HeldStack;
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
    this.held = new HeldStack(fx);
    this.tmpRoot = opts.tmpRoot ?? os.tmpdir();
    this.childGraceMs = opts.childGraceMs ?? 15_000;
    this.alive = opts.ownerAlive ?? ownerAlive;
    this.results = plan.combos.map((combo) => ({
      combo,
      status: combo.skip === null ? 'pending' : 'skipped',
      reason: combo.skip,
      rows: [],
    }));
  }

  /** What is held right now, outermost first (for tests and messages). */
  heldNow(): string[] {
    return this.held.describe();
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
        const left = this.held.releaseTo(0);
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
    const left = this.held.releaseTo(0);
    if (left.length > 0) this.fx.err(`faultscale: clean-up: ${left.join('; ')}`);
    this.fx.err(`interrupted by ${sig}: stopped; everything bench:fs created was removed`);
    this.printSummary();
    return this.exitCode();
  }

  /**
   * Removes what earlier bench:fs runs left when they were killed (SIGKILL: no
   * handler ran): each private directory under the temp root whose owner file
   * names a process that is gone, with the mounts below it and the loop
   * devices backed by its image. Returns one line per directory: what it
   * held, and anything that could not be removed.
   */
  removeLeftovers(tools: Tools): string[] {
    const lines: string[] = [];
    for (const l of findLeftovers(this.tmpRoot, this.alive)) {
      // Its bench outlived it and still uses the mount: stop it first, or the mount would only be detached lazily.
      const orphans = orphanBenches(l.owner, l.dir);
      for (const pid of orphans) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      for (let waited = 0; waited < 5000 && orphanBenches(l.owner, l.dir).length > 0; waited += 100)
        this.fx.sleepSync(100);
      const mark = this.held.length;
      this.held.push({ kind: 'dir', path: l.dir, image: nodePath.join(l.dir, 'image'), tools });
      const problems = this.held.releaseTo(mark);
      const what =
        (l.owner.items.length > 0 ? l.owner.items.join(', ') : 'nothing made yet') +
        (orphans.length > 0 ? ` (stopped its bench ${orphans.join(', ')})` : '');
      lines.push(
        `removed what bench:fs pid ${l.owner.pid} left (it is gone): ${what}, ${l.dir}` +
          (problems.length > 0 ? `; could not: ${problems.join('; ')}` : ''),
      );
    }
    return lines;
  }

  /** Records one more item in the current directory's owner file (before anything can go wrong with it). */
  private own(item: string | null): void {
    if (this.owned === null) return;
    if (item !== null) this.owned.items.push(item);
    writeOwner(this.owned.dir, { pid: process.pid, started: processStart(process.pid), items: this.owned.items });
  }

  /** Unwinds everything still held (idempotent); returns what could not be cleaned. */
  cleanup(): string[] {
    return this.held.releaseTo(0);
  }

  private async runCombo(r: ComboResult): Promise<void> {
    const c = r.combo;
    const mark = this.held.length;
    r.status = 'ran';
    r.reason = null;
    try {
      const { dir, image, mnt } = this.makeDir(c);
      const dev = image === null ? null : this.makeDevice(c, image);
      this.mountFs(c, dev, mnt);
      if (this.interruptedBy) return;
      await this.runBench(r, dir, mnt);
    } catch (e) {
      if (this.interruptedBy) return;
      r.status = 'failed';
      r.reason = e instanceof StepError ? e.message : `${(e as Error).message ?? String(e)}`;
    } finally {
      this.current = null;
      if (!this.interruptedBy) {
        const left = this.held.releaseTo(mark);
        if (left.length > 0) {
          r.status = 'failed';
          r.reason = `${r.reason ? `${r.reason}; ` : ''}clean-up: ${left.join('; ')}`;
        }
      }
    }
  }

  /**
   * Makes the combination's private directory (held and owned from here on), with its mount point and, for a
   * file system on a device, the path of its image.
   */
  private makeDir(c: PlannedCombo): { dir: string; image: string | null; mnt: string } {
    const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(this.tmpRoot, `faultscale-fs-${c.stem}-`)));
    const image = c.fs === 'tmpfs' ? null : nodePath.join(dir, 'image');
    this.held.push({ kind: 'dir', path: dir, image, tools: c.tools });
    this.owned = { dir, items: [] };
    this.own(image === null ? null : `image ${image}`);
    const mnt = nodePath.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    return { dir, image, mnt };
  }

  /** Makes the image, attaches it to a loop device (held) and makes the file system on it; returns the device. */
  private makeDevice(c: PlannedCombo, image: string): string {
    // Sparse: only the blocks the file system writes take space.
    const fd = fs.openSync(image, 'wx', 0o600);
    try {
      fs.ftruncateSync(fd, c.sizeMib * MIB);
    } finally {
      fs.closeSync(fd);
    }
    const out = this.step(commands.attach(c.tools, image), 'losetup').stdout.trim();
    if (LOOP_DEV_RE.test(out)) this.own(`loop ${out}`);
    const dev = LOOP_DEV_RE.test(out) ? out : null;
    if (dev === null) {
      // Attached but printed something else: find it by its backing file, which is ours.
      const found = this.held.loopsBacking(c.tools, image);
      for (const d of found) this.held.push({ kind: 'loop', dev: d, tools: c.tools });
      throw new StepError(`losetup printed ${quote(out)}, not a loop device path`);
    }
    this.held.push({ kind: 'loop', dev, tools: c.tools });
    this.step(commands.mkfs(c, dev), `mkfs.${c.fs}`);
    return dev;
  }

  /** Mounts the file system on `mnt`; the mount is held from the moment it exists. */
  private mountFs(c: PlannedCombo, dev: string | null, mnt: string): void {
    let mounted = false;
    try {
      this.step(commands.mount(c, dev, mnt), 'mount');
      mounted = true;
    } finally {
      // Held when mounted, even if mount said otherwise (so it is unmounted before the device is detached).
      if (mounted || this.held.isMountPoint(mnt)) {
        this.held.push({ kind: 'mount', path: mnt, tools: c.tools });
        this.own(`mount ${mnt}`);
      }
    }
  }

  /** Runs the bench on the mount, merges the rows it wrote and sets the combination's status from how it ended. */
  private async runBench(r: ComboResult, dir: string, mnt: string): Promise<void> {
    const c = r.combo;
    const csv = nodePath.join(dir, `${c.stem}.csv`);
    this.current = { result: r, csv };
    const child = this.fx.spawnBench(benchArgs(this.plan.passthrough, mnt, csv), c.label);
    this.child = child;
    // A bench left running by a killed bench:fs still uses the mount: recorded, so a clean-up can stop it first.
    if (child.pid !== undefined) this.own(`bench ${child.pid}`);
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

  private printSummary(): void {
    for (const line of formatSummary(this.results)) this.fx.out(line);
    if (this.saved) {
      this.fx.out(`${this.rows.length} rows written to ${this.plan.csvPath} (per-run samples: ${this.plan.runsPath})`);
    }
  }
}
