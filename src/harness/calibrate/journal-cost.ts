/** The journalled inode update: futimes() on ext4 against tmpfs (tinybench medians); the difference is the journal's share. */
import fs from 'node:fs';
import path from 'node:path';

import { Bench, type Task } from 'tinybench';
import { fsInfo, type FsInfo } from '../../targets/kernel/fsinfo.js';
import { sampleMedian } from '../../analysis/stats.js';

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

interface ProbeFile {
  readonly fd: number;
  readonly file: string;
}

/** A new file of this process's in `dir`, open for writing. */
function openProbeFile(dir: string): ProbeFile {
  const file = path.join(dir, `faultscale-calibrate-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  return { fd: fs.openSync(file, 'wx', 0o600), file };
}

/** Closes and removes the probe files, whatever state they are in. */
function removeProbeFiles(files: readonly ProbeFile[]): void {
  for (const f of files) {
    try {
      fs.closeSync(f.fd);
    } catch {
      // already closed
    }
    fs.rmSync(f.file, { force: true });
  }
}

interface BatchTiming {
  readonly overriddenDuration: number;
  readonly overriddenIterationCost: number;
}

/**
 * A tinybench task body that makes UTIMES_BATCH futimes calls on a file and reports its own time per call.
 * The time set is seconds since the epoch, advanced by 1 ms per call (shared by every file timed), so every
 * call changes the timestamps.
 */
function utimesBatcher(): (fd: number) => BatchTiming {
  let t = 1.7e9;
  return (fd) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < UTIMES_BATCH; i++) {
      t += 0.001;
      fs.futimesSync(fd, t, t);
    }
    const ns = Number(process.hrtime.bigint() - t0);
    return { overriddenDuration: ns / UTIMES_BATCH / 1e6, overriddenIterationCost: ns / 1e6 };
  };
}

const J = 'futimes, journalled';
const P = 'futimes, tmpfs';

/** One round: tinybench's median ns per call on each file, the two in the order the round number picks. */
function measureRound(
  r: number,
  opts: { quick: boolean },
  batch: (fd: number) => BatchTiming,
  jFd: number,
  pFd: number,
): { jn: number; pn: number } {
  const bench = new Bench({
    name: `journal cost, round ${r + 1}`,
    time: opts.quick ? 150 : 500,
    warmupTime: opts.quick ? 30 : 100,
    iterations: 32,
    warmupIterations: 8,
  });
  const order = r % 2 === 0 ? [J, P] : [P, J];
  for (const name of order) bench.add(name, () => batch(name === J ? jFd : pFd));
  const p50 = new Map<string, number>();
  for (const task of bench.tasks) {
    task.warmupSync();
    task.runSync();
    p50.set(task.name, taskMedianNs(task));
  }
  return { jn: p50.get(J)!, pn: p50.get(P)! };
}

/**
 * Timestamp updates on one file in `journalDir` (ext4: each call starts a
 * jbd2 handle, copies the inode into its journalled buffer, stops the handle)
 * and in `plainDir` (tmpfs: no journal), measured with tinybench in rounds of
 * alternating order. Every call sets a new time, so every call dirties the inode.
 */
export function measureJournalCost(journalDir: string, plainDir: string, opts: { quick: boolean }): JournalMeasurement {
  const roundsN = opts.quick ? 2 : 4;
  const files: ProbeFile[] = [];
  try {
    const j = openProbeFile(journalDir);
    files.push(j);
    const p = openProbeFile(plainDir);
    files.push(p);
    const batch = utimesBatcher();
    const jRounds: number[] = [];
    const pRounds: number[] = [];
    const diffs: number[] = [];
    for (let r = 0; r < roundsN; r++) {
      const { jn, pn } = measureRound(r, opts, batch, j.fd, p.fd);
      jRounds.push(jn);
      pRounds.push(pn);
      diffs.push(jn - pn);
    }
    const rawDiffNs = sampleMedian(diffs);
    return {
      journalled: { dir: journalDir, fs: fsInfo(journalDir), nsPerCall: sampleMedian(jRounds), rounds: jRounds },
      plain: { dir: plainDir, fs: fsInfo(plainDir), nsPerCall: sampleMedian(pRounds), rounds: pRounds },
      rawDiffNs,
      journalNs: Math.max(0, rawDiffNs),
    };
  } finally {
    removeProbeFiles(files);
  }
}

function taskMedianNs(task: Task): number {
  const r = task.result;
  if (r.state === 'errored') throw r.error;
  if (r.state !== 'completed' && r.state !== 'aborted-with-statistics')
    throw new Error(`tinybench task ${task.name} did not complete (${r.state})`);
  return r.latency.p50 * 1e6;
}
