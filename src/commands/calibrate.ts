/**
 * `faultscale calibrate [--json PATH] [--fault-dir DIR] [--journal-dir DIR] [--threads LIST] [--quick]`
 *
 * Measures a write fault and a journalled inode update on this machine, writes
 * the `host` cost profile, then runs the model with it beside the kernel
 * target and prints the two side by side. Bad input (and a missing native
 * addon) is one line on stderr and exit code 2; a failed measurement or bench
 * run is one line and exit code 1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  benchArgs,
  deriveHostProfile,
  formatSideBySide,
  measureFaultCost,
  measureJournalCost,
  parseCalibrateArgs,
  realScratchShell,
  runFaultPathStep,
  ratesFromCsv,
  runNode,
  sideBySide,
  writeProfile,
  type CalibrateOptions,
  type FaultMeasurement,
  type FaultPathResult,
  type JournalMeasurement,
  type RateRow,
} from '../harness/calibrate/calibrate.js';
import { calibrateThisHost } from '../harness/calibrate/host-hardware.js';
import { interruptedStatus, runMain, type Interrupts } from './main.js';
import type { CostProfile } from '../model/profiles.js';
import { kernelVersion } from '../targets/kernel/fsinfo.js';
import { loadNative, type NativeAddon } from '../targets/kernel/native.js';

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const ns = (x: number): string => `${Math.round(x)} ns`;
const ms = (x: number): string => `${(x / 1e6).toFixed(2)} ms`;
const us = (x: number): string => `${(x / 1e3).toFixed(1)} us`;

/** The last non-empty line of a child's stderr, for a one-line failure message. */
function lastLine(s: string): string {
  const lines = s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines[lines.length - 1] ?? '(no output)';
}

/** Thrown when SIGINT / SIGTERM arrived: main returns 130 / 143 after cleaning up. */
class Interrupted extends Error {
  readonly status: number;
  constructor(sig: unknown) {
    super(`interrupted by ${String(sig)}`);
    this.status = interruptedStatus(sig);
  }
}

function stopIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw new Interrupted(signal.reason);
}

/** After a synchronous measurement: let a pending SIGINT / SIGTERM handler run, then stop if one came. */
async function checkpoint(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  stopIfInterrupted(signal);
}

async function runSide(
  side: 'model' | 'kernel',
  cliPath: string,
  args: string[],
  signal: AbortSignal,
): Promise<RateRow[]> {
  const csv = args[args.indexOf('--csv') + 1]!;
  const rel = path.relative(process.cwd(), cliPath);
  err(`running the ${side}: node ${rel !== '' && !rel.startsWith('..') ? rel : cliPath} ${args.join(' ')}`);
  const r = await runNode(
    cliPath,
    args,
    process.cwd(),
    (line) => {
      if (line.trim() !== '') err(`  ${side}| ${line}`);
    },
    signal,
  );
  stopIfInterrupted(signal);
  if (r.status !== 0) {
    throw new Error(`the ${side} run failed (${r.signal ?? `exit ${r.status}`}): ${lastLine(r.stderr)}`);
  }
  return ratesFromCsv(fs.readFileSync(csv, 'utf8'));
}

async function main(argv: readonly string[], interrupts: Interrupts): Promise<number> {
  // A UsageError goes up to runMain: one line, exit 2.
  const parsed = parseCalibrateArgs(argv, { cwd: process.cwd(), cores: os.availableParallelism() });
  if (parsed.kind === 'help') {
    out(parsed.text);
    return 0;
  }
  if (parsed.options.hardwareOnly) {
    const r = await calibrateThisHost(parsed.options.out, parsed.options.quick, new Date());
    r.lines.forEach((l) => out(l));
    return 0;
  }
  const native = loadNative();
  if (!native.ok) {
    err(`faultscale: calibrate needs the native addon, which is unavailable: ${native.reason}`);
    return 2;
  }
  // SIGINT / SIGTERM: stop the bench child, remove the temporary files, exit 130 / 143.
  // (The measurements are synchronous: a signal there is handled when the current one ends.)
  const signal = interrupts.listen();
  try {
    return await calibrate(parsed.options, native.addon, signal);
  } catch (e) {
    if (e instanceof Interrupted) {
      err(`faultscale: calibrate ${e.message}; nothing more measured`);
      return e.status;
    }
    // A failed measurement or bench run: one line, exit 1 (FAULTSCALE_DEBUG=1 adds the stack).
    const msg = (e instanceof Error ? e.message : String(e)).replace(/[\r\n]+/g, ' ');
    err(`faultscale: calibrate failed: ${msg}`);
    if (process.env.FAULTSCALE_DEBUG && e instanceof Error && e.stack) err(e.stack);
    return 1;
  }
}

/** What the write-fault measurement printed. */
function faultLines(f: FaultMeasurement): string[] {
  const spread = f.rounds.map((r) => r.perFaultNs);
  return [
    `write fault: page_fault3's loop (plainLoop) in ${f.dir} (${f.fs.fsType}, ${f.fs.mountOptions}), in CPU time`,
    `  ${f.pages} pages per pass: ${ms(f.bigPassNs)} per pass, ${ns(f.perStoreNs)} per store, ` +
      `${f.faultsPerStore.toFixed(3)} minor faults per store`,
    `  1 page per pass: ${us(f.smallPassNs)} per pass (mmap, one store and its fault, munmap)`,
    `  fit over ${f.rounds.length} rounds (time per pass = mmap+munmap + fault cost x real faults): ` +
      `${ns(f.perFaultNs)} per real minor fault (time divided by getrusage minor faults, not by stores; ` +
      `rounds ${ns(Math.min(...spread))} to ${ns(Math.max(...spread))}), ${ns(f.perPassNs)} mmap+munmap per pass`,
  ];
}

/** What the journal measurement printed. */
function journalLines(j: JournalMeasurement): string[] {
  return [
    `journalled inode update: futimes() with a new time on every call, tinybench medians over ${j.journalled.rounds.length} rounds`,
    `  ${j.journalled.fs.fsType} ${j.journalled.dir} (${j.journalled.fs.mountOptions}): ${ns(j.journalled.nsPerCall)} per call`,
    `  ${j.plain.fs.fsType} ${j.plain.dir} (no journal): ${ns(j.plain.nsPerCall)} per call`,
    `  journal cost: ${ns(j.journalNs)} per inode update (difference` +
      (j.rawDiffNs < 0 ? `; measured ${ns(j.rawDiffNs)}, below the noise, taken as 0` : '') +
      ')',
  ];
}

/** The host profile from this run's measurements (deriveHostProfile, with where each came from). */
function hostProfile(
  o: CalibrateOptions,
  kernel: string,
  when: Date,
  f: FaultMeasurement,
  j: JournalMeasurement | null,
  paths: FaultPathResult,
): CostProfile {
  return deriveHostProfile({
    faultNs: f.perFaultNs,
    mmapNs: f.perPassNs,
    journalNs: j === null ? null : j.journalNs,
    kernel,
    faultWhere: `plainLoop on ${f.fs.fsType} ${f.dir}, ${f.faultsPerStore.toFixed(3)} minor faults per store`,
    journalWhere:
      j === null
        ? null
        : `futimes on ${j.journalled.fs.fsType} ${j.journalled.dir} ${Math.round(j.journalled.nsPerCall)} ns minus ${j.plain.fs.fsType} ${j.plain.dir} ${Math.round(j.plain.nsPerCall)} ns` +
          (j.rawDiffNs < 0 ? `, measured ${Math.round(j.rawDiffNs)} ns, clamped to 0` : ''),
    journalSkipReason: o.journalSkipReason,
    pathExtras: paths.extras,
    pathsWhere: paths.where,
    when,
    notes: [`${o.quick ? 'quick' : 'full'} measurement, ${os.availableParallelism()} cores`],
  });
}

/** Measures the journalled inode update and prints it, or says why it was skipped (null). */
function measureJournal(o: CalibrateOptions): JournalMeasurement | null {
  if (o.journalDir === null || o.plainDir === null) {
    out(`journalled inode update: skipped: ${o.journalSkipReason ?? 'no directory to measure'}`);
    return null;
  }
  err('measuring the journalled inode update (futimes, tinybench)…');
  const j = measureJournalCost(o.journalDir, o.plainDir, { quick: o.quick });
  journalLines(j).forEach((l) => out(l));
  return j;
}

/** Writes the profile to `file` and prints it. */
function writeHostProfile(file: string, profile: CostProfile): void {
  writeProfile(file, profile);
  out('');
  out(
    `profile host written to ${file}${file === path.resolve(process.cwd(), 'results/profiles/host.json') ? ' (--profile host reads it)' : ''}:`,
  );
  out(JSON.stringify(profile, null, 2));
}

/** Runs the model with the written profile and the kernel target (child benches) and prints them side by side. */
async function modelBesideKernel(o: CalibrateOptions, f: FaultMeasurement, signal: AbortSignal): Promise<void> {
  const cliPath = fileURLToPath(new URL('./bench.js', import.meta.url));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-calibrate-'));
  try {
    const common = { profilePath: o.out, faultDir: o.faultDir, threads: o.threads, quick: o.quick };
    const model = await runSide(
      'model',
      cliPath,
      benchArgs('model', { ...common, csv: path.join(tmp, 'model.csv') }),
      signal,
    );
    const kern = await runSide(
      'kernel',
      cliPath,
      benchArgs('kernel', { ...common, csv: path.join(tmp, 'kernel.csv') }),
      signal,
    );
    out('');
    out(
      `model (profile host, strategy eager, journal jbd2 with its ext4 fault path, observer off) vs kernel (${f.fs.fsType} ${o.faultDir}), ` +
        `separate-file (page_fault3)` +
        (o.quick ? ', quick windows' : ', default windows'),
    );
    out(formatSideBySide(sideBySide(o.threads, model, kern)));
    const mfs = kern.map((r) => r.minorFaultsPerStore).filter((x) => Number.isFinite(x));
    if (mfs.some((x) => Math.abs(x - 1) > 0.05)) {
      out(
        `note: the kernel took ${mfs.map((x) => x.toFixed(3)).join(', ')} minor faults per store: its faults/s counts stores, each of which the model charges a full fault`,
      );
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function calibrate(o: CalibrateOptions, addon: NativeAddon, signal: AbortSignal): Promise<number> {
  const kernel = kernelVersion();
  const when = new Date();
  out(
    `faultscale calibrate: kernel ${kernel}, ${os.availableParallelism()} cores, Node ${process.version}, ` +
      `${o.quick ? 'quick' : 'full'} measurement, ${when.toISOString()}`,
  );

  // 1. One write fault.
  out('');
  err('measuring the write fault (plainLoop)…');
  const f = measureFaultCost(addon, o.faultDir, { quick: o.quick });
  faultLines(f).forEach((l) => out(l));

  await checkpoint(signal);

  // 2. Each filesystem's page_mkwrite, per page.
  out('');
  err('measuring the fault paths (ramfs, ext4, xfs on loop devices)…');
  const paths = runFaultPathStep(addon, realScratchShell(), { quick: o.quick });
  paths.lines.forEach((l) => out(l));

  await checkpoint(signal);

  // 3. One journalled inode update.
  out('');
  const j = measureJournal(o);

  await checkpoint(signal);

  // 4. The profile.
  writeHostProfile(o.out, hostProfile(o, kernel, when, f, j, paths));

  // 5. What the virtual target's this-host machine needs.
  out('');
  err('measuring line transfers and wake-ups between two threads…');
  (await calibrateThisHost(o.out, o.quick, when)).lines.forEach((l) => out(l));

  await checkpoint(signal);

  // 6. The model with that profile beside the kernel.
  await modelBesideKernel(o, f, signal);
  return 0;
}

await runMain(main);
