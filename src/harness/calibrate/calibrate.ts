/**
 * `npm run calibrate`: measures what a write fault and a journalled inode
 * update cost on this machine and turns that into the `host` cost profile
 * (results/profiles/host.json), so the model spends, per kernel step, about
 * what this kernel does.
 *
 * Pure pieces (argument parsing, the fit, the profile derivation, the table)
 * are separate from the measurements (plainLoop through the native addon,
 * futimes through tinybench) and from running the bench CLI, so tests can
 * check each on its own.
 *
 * What is measured:
 *  - one write fault: page_fault3's loop (plainLoop) over a file on the fault
 *    directory (/dev/shm when it is tmpfs: no journal, no block allocation),
 *    with enough pages that a pass takes >= ~20 ms, and again with 1 page per
 *    pass. Time per pass is fitted as `perPassNs + perFaultNs × faults`, where
 *    faults are the thread's real minor faults (getrusage), not its stores: on
 *    a file system with large folios one fault maps several pages. The
 *    intercept is the mmap + munmap cost per pass.
 *  - one journalled inode update: futimes() with a new time on every call, on
 *    a file in an ext4 directory, against the same calls on tmpfs (no journal).
 *    The difference is the journal's share: handle start/stop, the j_state_lock
 *    read side, copying the inode into its journalled buffer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';

import { Bench, type Task } from 'tinybench';

import { parseResultsCsv } from '../../rows/read.js';
import { okRows } from '../../rows/rows.js';
import { writeFileAtomic } from '../../rows/write-atomic.js';
import { fsInfo, type FsInfo } from '../../targets/kernel/fsinfo.js';
import type { NativeAddon } from '../../targets/kernel/native.js';
import { CALIBRATE_DEFAULTS } from './args.js';

export * from './args.js';
import { PROFILES, type CostProfile } from '../../model/profiles.js';
import { fmtRate } from '../../output/format.js';
import { textTable } from '../../output/text-table.js';

export const PAGE_BYTES = 4096;

// ------------------------------------------------------ write-fault cost

/** One plainLoop call: `passes` passes of `pages` pages took `ns` and `faults` minor faults of this thread. */
export interface LoopSample {
  readonly pages: number;
  readonly passes: number;
  readonly ns: number;
  readonly faults: number;
}

export interface FaultFit {
  /** Cost of one real write fault (time divided by minor faults, not by stores), ns. */
  readonly perFaultNs: number;
  /** Cost per pass not explained by faults: mmap + munmap, ns. */
  readonly perPassNs: number;
  /** Minor faults per store of the many-page loop (1 on tmpfs; < 1 where a fault maps a large folio). */
  readonly faultsPerStore: number;
  /** The many-page loop's time per store, ns (for reference: what a store costs, faults or not). */
  readonly perStoreNs: number;
}

/**
 * Fits time per pass = perPassNs + perFaultNs × faults per pass through two
 * loops: many pages per pass (`big`) and one page per pass (`small`). Falls
 * back to the big loop's time per fault when the two do not give a positive
 * slope (noise, or equal fault counts).
 */
export function fitFaultCost(big: LoopSample, small: LoopSample): FaultFit {
  for (const s of [big, small]) {
    if (!(s.pages >= 1 && s.passes >= 1 && Number.isFinite(s.ns) && s.ns >= 0 && Number.isFinite(s.faults) && s.faults >= 0)) {
      throw new Error(`bad loop sample ${JSON.stringify(s)}`);
    }
  }
  const tb = big.ns / big.passes;
  const fb = big.faults / big.passes;
  const ts = small.ns / small.passes;
  const fs_ = small.faults / small.passes;
  if (!(fb > 0)) throw new Error(`the ${big.pages}-page loop took no minor faults: cannot measure a fault`);
  let perFault = fb > fs_ ? (tb - ts) / (fb - fs_) : NaN;
  if (!(perFault > 0) || !Number.isFinite(perFault)) perFault = tb / fb;
  const perPass = Math.max(0, ts - perFault * fs_);
  return { perFaultNs: perFault, perPassNs: perPass, faultsPerStore: fb / big.pages, perStoreNs: tb / big.pages };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length & 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface FaultMeasurement extends FaultFit {
  readonly dir: string;
  readonly fs: FsInfo;
  /** Pages per pass of the many-page loop. */
  readonly pages: number;
  /** Time of one many-page pass, ns (median). */
  readonly bigPassNs: number;
  /** Time of one 1-page pass (mmap, one store, munmap), ns (median). */
  readonly smallPassNs: number;
  /** Per-round fits: the spread of perFaultNs. */
  readonly rounds: readonly FaultFit[];
}

function loop(addon: NativeAddon, fd: number, pages: number, passes: number): LoopSample {
  const m0 = addon.minorFaults();
  const ns = addon.plainLoop(fd, pages, passes);
  const faults = addon.minorFaults() - m0;
  return { pages, passes, ns, faults };
}

/** Pages we may touch in `dir` without running its file system out of space (a full tmpfs would SIGBUS the store). */
function pageBudget(dir: string, cap: number): number {
  try {
    const st = fs.statfsSync(dir);
    const free = Number(st.bavail) * Number(st.bsize);
    if (Number.isFinite(free) && free > 0) return Math.max(1, Math.min(cap, Math.floor(free / PAGE_BYTES / 4)));
  } catch {
    // statfs unavailable: keep the cap
  }
  return cap;
}

/**
 * Measures one write fault in `dir` with the addon's plainLoop: sizes the
 * many-page loop so one pass takes >= minPassMs, then alternates it with a
 * 1-page loop for several rounds and fits each round (fitFaultCost); the
 * result is the median of the rounds.
 */
export function measureFaultCost(
  addon: NativeAddon,
  dir: string,
  opts: { quick: boolean; minPassMs?: number; maxPages?: number },
): FaultMeasurement {
  const minPassNs = (opts.minPassMs ?? 20) * 1e6;
  const maxPages = pageBudget(dir, opts.maxPages ?? 262144); // 1 GiB of pages at most
  const roundNs = (opts.quick ? 60 : 200) * 1e6;
  const rounds = opts.quick ? 3 : 7;
  const fd = addon.openUnlinked(dir, maxPages * PAGE_BYTES);
  try {
    // Size: grow until one pass (page cache already populated) takes >= minPassNs.
    let pages = Math.min(256, maxPages);
    for (;;) {
      addon.plainLoop(fd, pages, 1); // populate the page cache for these pages
      const ns = addon.plainLoop(fd, pages, 1);
      if (ns >= minPassNs || pages >= maxPages) break;
      const factor = Math.min(64, Math.max(2, Math.ceil((minPassNs / Math.max(ns, 1)) * 1.2)));
      pages = Math.min(maxPages, pages * factor);
    }
    const bigPassEstimate = addon.plainLoop(fd, pages, 1);
    const bigPasses = Math.max(1, Math.ceil(roundNs / Math.max(bigPassEstimate, 1)));
    addon.plainLoop(fd, 1, 200); // warm the 1-page path
    const smallEstimate = addon.plainLoop(fd, 1, 200) / 200;
    const smallPasses = Math.min(1_000_000, Math.max(100, Math.ceil(roundNs / Math.max(smallEstimate, 1))));

    const fits: FaultFit[] = [];
    const bigNs: number[] = [];
    const smallNs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so a drift in machine speed favours neither loop.
      let big: LoopSample;
      let small: LoopSample;
      if (r % 2 === 0) {
        big = loop(addon, fd, pages, bigPasses);
        small = loop(addon, fd, 1, smallPasses);
      } else {
        small = loop(addon, fd, 1, smallPasses);
        big = loop(addon, fd, pages, bigPasses);
      }
      fits.push(fitFaultCost(big, small));
      bigNs.push(big.ns / big.passes);
      smallNs.push(small.ns / small.passes);
    }
    return {
      dir,
      fs: fsInfo(dir),
      pages,
      perFaultNs: median(fits.map((f) => f.perFaultNs)),
      perPassNs: median(fits.map((f) => f.perPassNs)),
      faultsPerStore: median(fits.map((f) => f.faultsPerStore)),
      perStoreNs: median(fits.map((f) => f.perStoreNs)),
      bigPassNs: median(bigNs),
      smallPassNs: median(smallNs),
      rounds: fits,
    };
  } finally {
    addon.close(fd);
  }
}

// ------------------------------------------------ journalled inode update

export interface UtimesSide {
  readonly dir: string;
  readonly fs: FsInfo;
  /** Median over rounds of tinybench's median ns per futimes call. */
  readonly nsPerCall: number;
  /** Per-round medians, ns. */
  readonly rounds: readonly number[];
}

export interface JournalMeasurement {
  readonly journalled: UtimesSide;
  readonly plain: UtimesSide;
  /** Median over rounds of (journalled − plain), ns; can be negative when noise wins. */
  readonly rawDiffNs: number;
  /** max(0, rawDiffNs): the journal's cost of one inode update. */
  readonly journalNs: number;
}

/** futimes calls per tinybench iteration: each call is ~1-3 us, far above the timer's grain once batched. */
const UTIMES_BATCH = 64;

/**
 * Timestamp updates on one file in `journalDir` (ext4: each call starts a
 * jbd2 handle, copies the inode into its journalled buffer, stops the handle)
 * and in `plainDir` (tmpfs: no journal), measured with tinybench in rounds of
 * alternating order. Every call sets a new time, so every call dirties the inode.
 */
export function measureJournalCost(journalDir: string, plainDir: string, opts: { quick: boolean }): JournalMeasurement {
  const roundsN = opts.quick ? 2 : 4;
  const time = opts.quick ? 150 : 500;
  const warmupTime = opts.quick ? 30 : 100;
  const open = (dir: string): { fd: number; file: string } => {
    const file = path.join(dir, `faultscale-calibrate-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    return { fd: fs.openSync(file, 'wx', 0o600), file };
  };
  const files: { fd: number; file: string }[] = [];
  try {
    const j = open(journalDir);
    files.push(j);
    const p = open(plainDir);
    files.push(p);
    // Seconds since the epoch, advanced by 1 ms per call: every call changes the timestamps.
    let t = 1.7e9;
    const batch = (fd: number): { overriddenDuration: number; overriddenIterationCost: number } => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < UTIMES_BATCH; i++) {
        t += 0.001;
        fs.futimesSync(fd, t, t);
      }
      const ns = Number(process.hrtime.bigint() - t0);
      return { overriddenDuration: ns / UTIMES_BATCH / 1e6, overriddenIterationCost: ns / 1e6 };
    };
    const J = 'futimes, journalled';
    const P = 'futimes, tmpfs';
    const jRounds: number[] = [];
    const pRounds: number[] = [];
    const diffs: number[] = [];
    for (let r = 0; r < roundsN; r++) {
      const bench = new Bench({ name: `journal cost, round ${r + 1}`, time, warmupTime, iterations: 32, warmupIterations: 8 });
      const order = r % 2 === 0 ? [J, P] : [P, J];
      for (const name of order) bench.add(name, () => batch(name === J ? j.fd : p.fd));
      const p50 = new Map<string, number>();
      for (const task of bench.tasks) {
        task.warmupSync();
        task.runSync();
        p50.set(task.name, taskMedianNs(task));
      }
      const jn = p50.get(J)!;
      const pn = p50.get(P)!;
      jRounds.push(jn);
      pRounds.push(pn);
      diffs.push(jn - pn);
    }
    const rawDiffNs = median(diffs);
    return {
      journalled: { dir: journalDir, fs: fsInfo(journalDir), nsPerCall: median(jRounds), rounds: jRounds },
      plain: { dir: plainDir, fs: fsInfo(plainDir), nsPerCall: median(pRounds), rounds: pRounds },
      rawDiffNs,
      journalNs: Math.max(0, rawDiffNs),
    };
  } finally {
    for (const f of files) {
      try {
        fs.closeSync(f.fd);
      } catch {
        // already closed
      }
      fs.rmSync(f.file, { force: true });
    }
  }
}

function taskMedianNs(task: Task): number {
  const r = task.result;
  if (r.state === 'errored') throw r.error;
  if (r.state !== 'completed' && r.state !== 'aborted-with-statistics') throw new Error(`tinybench task ${task.name} did not complete (${r.state})`);
  return r.latency.p50 * 1e6;
}

// --------------------------------------------------------- the profile

/** How the measured fault is split between the steps the model charges per fault. */
export const FAULT_SPLIT = { faultEntryNs: 0.8, mkwriteNs: 0.2 } as const;

/** Journal steps, split in the default profile's proportions. */
export const JOURNAL_FIELDS = ['handleStartNs', 'hotLockNs', 'inodeDirtyNs', 'handleStopNs'] as const;
/** Steps not measured here: the default profile's, scaled by measured fault / default fault. */
export const SCALED_FIELDS = ['commitNs', 'commitPerItemNs', 'pageWriteNs', 'getattrNs', 'msyncNs', 'rmapWalkNs', 'pteProtectNs', 'tlbShootdownNs', 'ipiNs'] as const;

export const DEFAULT_FAULT_NS = PROFILES.default.faultEntryNs + PROFILES.default.mkwriteNs;
export const DEFAULT_JOURNAL_NS = JOURNAL_FIELDS.reduce((s, k) => s + PROFILES.default[k], 0);

export interface DeriveInput {
  /** Cost of one write fault, ns (> 0). */
  faultNs: number;
  /** mmap + munmap per pass, ns (>= 0). */
  mmapNs: number;
  /** The journal's cost of one inode update, ns (>= 0; negative is clamped to 0); null when not measured. */
  journalNs: number | null;
  /** Where and when: for the description. */
  kernel: string;
  faultWhere: string;
  journalWhere: string | null;
  /** Why the journal was not measured (when journalNs is null). */
  journalSkipReason?: string | null;
  when: Date;
  /** Extra detail for the description (faults per store, raw per-call times, …). */
  notes?: readonly string[];
}

/** `total` split into non-negative integers proportional to `weights`, summing to round(total) (largest remainder). */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  const sumW = weights.reduce((s, w) => s + w, 0);
  const target = Math.max(0, Math.round(total));
  if (!(sumW > 0)) return weights.map(() => 0);
  const exact = weights.map((w) => (target * w) / sumW);
  const floor = exact.map(Math.floor);
  let left = target - floor.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, rem: x - Math.floor(x) })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floor[i] = floor[i]! + 1;
    left--;
  }
  return floor;
}

const fmtNs = (x: number): string => (Number.isFinite(x) ? `${Math.round(x)} ns` : String(x));

/**
 * The `host` profile from measured costs:
 *  - faultEntryNs / mkwriteNs: the fault cost split 80% / 20% (FAULT_SPLIT);
 *  - mmapNs: the per-pass cost;
 *  - handleStartNs, hotLockNs, inodeDirtyNs, handleStopNs: the journal cost split
 *    in the default profile's proportions (80:40:120:60); when the journal was
 *    not measured, the default's values scaled like the unmeasured steps;
 *  - commitNs, commitPerItemNs, pageWriteNs, getattrNs, and the msync, rmap-walk,
 *    PTE write-protect and shoot-down costs: the default's, scaled by
 *    measured fault / default fault (faultEntryNs + mkwriteNs = 750 ns).
 * Every field is a whole number of nanoseconds >= 0. Throws on non-finite input.
 */
export function deriveHostProfile(m: DeriveInput): CostProfile {
  if (!(Number.isFinite(m.faultNs) && m.faultNs > 0)) throw new Error(`fault cost must be a finite number > 0 ns, got ${m.faultNs}`);
  if (!(Number.isFinite(m.mmapNs) && m.mmapNs >= 0)) throw new Error(`mmap cost must be a finite number >= 0 ns, got ${m.mmapNs}`);
  if (m.journalNs !== null && !Number.isFinite(m.journalNs)) throw new Error(`journal cost must be finite, got ${m.journalNs}`);
  const d = PROFILES.default;
  const scale = m.faultNs / DEFAULT_FAULT_NS;
  const [faultEntryNs, mkwriteNs] = splitByWeights(m.faultNs, [FAULT_SPLIT.faultEntryNs, FAULT_SPLIT.mkwriteNs]) as [number, number];
  const journalTotal = m.journalNs === null ? DEFAULT_JOURNAL_NS * scale : Math.max(0, m.journalNs);
  const j = splitByWeights(journalTotal, JOURNAL_FIELDS.map((k) => d[k]));
  const journal = Object.fromEntries(JOURNAL_FIELDS.map((k, i) => [k, j[i]!])) as Record<(typeof JOURNAL_FIELDS)[number], number>;
  const scaled = Object.fromEntries(SCALED_FIELDS.map((k) => [k, Math.round(d[k] * scale)])) as Record<(typeof SCALED_FIELDS)[number], number>;

  const journalText =
    m.journalNs === null
      ? `journalled inode update not measured (${m.journalSkipReason ?? 'skipped'}): journal steps are the default profile's x ${scale.toFixed(2)}`
      : `journalled inode update ${fmtNs(journalTotal)} (${m.journalWhere ?? 'futimes'}), split like the default profile`;
  const description = [
    `Calibrated by npm run calibrate on ${m.when.toISOString()}, kernel ${m.kernel}`,
    `write fault ${fmtNs(m.faultNs)} per real minor fault (${m.faultWhere}), split ${FAULT_SPLIT.faultEntryNs * 100}% fault entry / ${FAULT_SPLIT.mkwriteNs * 100}% page_mkwrite`,
    `mmap+munmap ${fmtNs(m.mmapNs)} per pass`,
    journalText,
    `commit, page write, getattr, msync, rmap walk and TLB shoot-down: the default profile's x ${scale.toFixed(2)} (measured fault / default ${DEFAULT_FAULT_NS} ns)`,
    ...(m.notes ?? []),
  ].join('; ') + '.';

  return {
    name: 'host',
    version: 1,
    description,
    faultEntryNs,
    mkwriteNs,
    mmapNs: Math.round(m.mmapNs),
    handleStartNs: journal.handleStartNs,
    handleStopNs: journal.handleStopNs,
    inodeDirtyNs: journal.inodeDirtyNs,
    hotLockNs: journal.hotLockNs,
    commitNs: scaled.commitNs,
    commitPerItemNs: scaled.commitPerItemNs,
    pageWriteNs: scaled.pageWriteNs,
    getattrNs: scaled.getattrNs,
    msyncNs: scaled.msyncNs,
    rmapWalkNs: scaled.rmapWalkNs,
    pteProtectNs: scaled.pteProtectNs,
    tlbShootdownNs: scaled.tlbShootdownNs,
    ipiNs: scaled.ipiNs,
  };
}

/** Writes the profile as JSON atomically, creating its directories. */
export function writeProfile(file: string, profile: CostProfile): void {
  writeFileAtomic(file, `${JSON.stringify(profile, null, 2)}\n`, { mkdir: true });
}

// ------------------------------------------------- model vs kernel

/** The bench CLI's arguments for one side of the comparison. */
export function benchArgs(
  side: 'model' | 'kernel',
  o: { profilePath: string; faultDir: string; threads: readonly number[]; csv: string; quick: boolean },
): string[] {
  const q = CALIBRATE_DEFAULTS.quick;
  const windows = o.quick
    ? ['--duration', String(q.durationSec), '--warmup', String(q.warmupSec), '--runs', String(q.runs), '--pages', String(q.pages)]
    : [];
  const common = ['--threads', o.threads.join(','), '--observer-interval', '0', ...windows, '--csv', o.csv];
  return side === 'model'
    ? ['--profile', o.profilePath, '--strategy', 'eager', '--journal', 'jbd2', ...common]
    : ['--target', 'kernel', '--dir', o.faultDir, ...common];
}

export interface ChildResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <cliPath> ...args` in `cwd`, collecting its output. When `signal`
 * aborts, the child gets SIGINT (SIGTERM when that is the abort reason), so it
 * stops the way it does when a user interrupts it.
 */
export function runNode(
  cliPath: string,
  args: readonly string[],
  cwd: string,
  onStderrLine?: (line: string) => void,
  signal?: AbortSignal,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const onAbort = (): void => {
      child.kill(signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    child.on('close', () => signal?.removeEventListener('abort', onAbort));
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!onStderrLine) return;
      partial += d;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) onStderrLine(l);
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

export interface RateRow {
  readonly threads: number;
  readonly faultsPerSec: number;
  /** Kernel target: real minor faults per store; NaN for the model. */
  readonly minorFaultsPerStore: number;
}

/** threads → faults_per_sec_mean (and minor_faults_per_store) from a results CSV's measured rows. */
export function ratesFromCsv(text: string, what = 'results CSV'): RateRow[] {
  return okRows(parseResultsCsv(text, what)).map((r) => ({
    threads: r.threads,
    faultsPerSec: r.faults_per_sec_mean,
    minorFaultsPerStore: r.minor_faults_per_store,
  }));
}

export interface SideBySideRow {
  readonly threads: number;
  readonly model: number;
  readonly kernel: number;
  /** model / kernel; NaN when either is missing or the kernel is 0. */
  readonly ratio: number;
}

export function sideBySide(threads: readonly number[], model: readonly RateRow[], kernel: readonly RateRow[]): SideBySideRow[] {
  return threads.map((t) => {
    const m = model.find((r) => r.threads === t)?.faultsPerSec ?? NaN;
    const k = kernel.find((r) => r.threads === t)?.faultsPerSec ?? NaN;
    return { threads: t, model: m, kernel: k, ratio: k > 0 ? m / k : NaN };
  });
}

export function formatSideBySide(rows: readonly SideBySideRow[]): string {
  const header = ['threads', 'model faults/s', 'kernel faults/s', 'model/kernel'];
  const body = rows.map((r) => [String(r.threads), fmtRate(r.model), fmtRate(r.kernel), Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '-']);
  return textTable(header, body, () => 'right').join('\n');
}

/** What a profile looks like when printed: one field a line, ns right-aligned. */
export function formatProfile(p: CostProfile): string {
  const keys = Object.keys(p).filter((k) => k.endsWith('Ns')) as (keyof CostProfile)[];
  const w = Math.max(...keys.map((k) => k.length));
  return [`name ${p.name}, version ${p.version}`, `description: ${p.description}`, ...keys.map((k) => `  ${k.padEnd(w)}  ${String(p[k]).padStart(9)}`)].join('\n');
}
