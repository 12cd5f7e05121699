/**
 * What a bench:fs killed with SIGKILL leaves behind, and finding it again.
 * Each combination's private directory holds an owner file naming the pid
 * (and its start time, so a reused pid is not mistaken for the owner) and
 * each item made in it: the image, the loop device losetup printed, the mount
 * point. A later bench:fs (or `--cleanup`) lists the directories under the
 * temp root whose owner file names a process that is gone; the runner then
 * releases exactly what the directory's release does for a live run: mounts
 * below the directory, loop devices backed by its image, the directory.
 * Nothing without an owner file, and nothing of a living owner, is touched.
 */
import fs from 'node:fs';
import nodePath from 'node:path';

import { writeFileAtomic } from '../../rows/write-atomic.js';

export const OWNER_FILE = 'faultscale-owner.json';
/** Private directories are made as `<tmp root>/faultscale-fs-<stem>-XXXXXX`. */
export const DIR_PREFIX = 'faultscale-fs-';

export interface OwnerRecord {
  readonly pid: number;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat field 22), or null where unknown. */
  readonly started: number | null;
  /** What was made, in order: `image PATH`, `loop /dev/loopN`, `mount PATH`, `bench PID` (the bench it started). */
  readonly items: readonly string[];
}

/** A process's start time from /proc (null where /proc does not say). */
export function processStart(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const started = Number(rest[19]);
    return Number.isFinite(started) ? started : null;
  } catch {
    return null;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Whether the recorded owner still runs: its pid exists and, where known, started when the record says. */
export function ownerAlive(rec: OwnerRecord): boolean {
  if (!pidExists(rec.pid)) return false;
  const now = processStart(rec.pid);
  return rec.started === null || now === null || now === rec.started;
}

/**
 * The benches a gone owner started that still run (they outlive a SIGKILLed
 * parent and keep its mount busy): the `bench PID` items whose process is
 * there and whose command line names this directory, so a reused pid is never
 * taken for one.
 */
export function orphanBenches(rec: OwnerRecord, dir: string): number[] {
  return rec.items
    .map((i) => /^bench (\d+)$/.exec(i))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    });
}

export function writeOwner(dir: string, rec: OwnerRecord): void {
  writeFileAtomic(nodePath.join(dir, OWNER_FILE), `${JSON.stringify(rec)}\n`);
}

function readOwner(dir: string): OwnerRecord | null {
  try {
    const r = JSON.parse(fs.readFileSync(nodePath.join(dir, OWNER_FILE), 'utf8')) as OwnerRecord;
    return Number.isInteger(r.pid) && Array.isArray(r.items) ? r : null;
  } catch {
    return null;
  }
}

export interface Leftover {
  readonly dir: string;
  readonly owner: OwnerRecord;
}

/** bench:fs directories under `tmpRoot` whose owner is gone (`alive` decides; tests pass their own). */
export function findLeftovers(tmpRoot: string, alive: (r: OwnerRecord) => boolean = ownerAlive): Leftover[] {
  let names: string[];
  try {
    names = fs.readdirSync(tmpRoot);
  } catch {
    return [];
  }
  const out: Leftover[] = [];
  for (const name of names.filter((n) => n.startsWith(DIR_PREFIX)).sort()) {
    const dir = nodePath.join(tmpRoot, name);
    const owner = readOwner(dir);
    if (owner !== null && owner.pid !== process.pid && !alive(owner)) out.push({ dir: fs.realpathSync(dir), owner });
  }
  return out;
}
