/** The model with the host profile beside the kernel target: the bench CLI's arguments, running it, and the table. */
import { spawn } from 'node:child_process';

import { parseResultsCsv } from '../../rows/read.js';
import { okRows } from '../../rows/rows.js';
import { CALIBRATE_DEFAULTS } from './args.js';
import { fmtRate } from '../../output/format.js';
import { textTable } from '../../output/text-table.js';

/** The bench CLI's arguments for one side of the comparison. */
export function benchArgs(
  side: 'model' | 'kernel',
  o: { profilePath: string; faultDir: string; threads: readonly number[]; csv: string; quick: boolean },
): string[] {
  const q = CALIBRATE_DEFAULTS.quick;
  const windows = o.quick
    ? [
        '--duration',
        String(q.durationSec),
        '--warmup',
        String(q.warmupSec),
        '--runs',
        String(q.runs),
        '--pages',
        String(q.pages),
      ]
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

export function sideBySide(
  threads: readonly number[],
  model: readonly RateRow[],
  kernel: readonly RateRow[],
): SideBySideRow[] {
  return threads.map((t) => {
    const m = model.find((r) => r.threads === t)?.faultsPerSec ?? NaN;
    const k = kernel.find((r) => r.threads === t)?.faultsPerSec ?? NaN;
    return { threads: t, model: m, kernel: k, ratio: k > 0 ? m / k : NaN };
  });
}

export function formatSideBySide(rows: readonly SideBySideRow[]): string {
  const header = ['threads', 'model faults/s', 'kernel faults/s', 'model/kernel'];
  const body = rows.map((r) => [
    String(r.threads),
    fmtRate(r.model),
    fmtRate(r.kernel),
    Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '-',
  ]);
  return textTable(header, body, () => 'right').join('\n');
}
