/**
 * Filesystems calibrate makes for the fault-path measurement, and takes down
 * again: ramfs, and ext4 / XFS on loop devices backed by sparse images. Each
 * lives in its own private directory under the temp root, named and recorded
 * like bench:fs's (an owner file listing what was made), so a calibrate
 * killed with SIGKILL leaves nothing `npm run bench:fs -- --cleanup` cannot
 * find and remove. Synchronous: the measurement between make() and release()
 * is too.
 */
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';

import type { ExecResult } from '../fsmatrix/effects.js';
import { DIR_PREFIX, processStart, writeOwner } from '../fsmatrix/leftovers.js';
import { LOOP_DEV_RE, MIB } from '../fsmatrix/constants.js';
import { execCaptured, mountPointsUnder, realHost } from '../fsmatrix/real.js';

export const SCRATCH_KINDS = ['ramfs', 'ext4', 'ext4-verity', 'xfs'] as const;
export type ScratchKind = (typeof SCRATCH_KINDS)[number];

/**
 * Every mount gets `lazytime`: a time update then stays in memory (ext4_dirty_inode returns at once for
 * I_DIRTY_TIME; xfs_vn_update_time skips its transaction), so the journal's once-per-tick transaction, which
 * the model charges through the strategy and the journal, stays out of the per-fault cost.
 */
export const SCRATCH_MOUNT_OPTIONS = 'lazytime';

/** mkfs per loop filesystem; `-O verity` is the ext4 feature under which the kernel makes no large folios. */
const MKFS: Readonly<Record<Exclude<ScratchKind, 'ramfs'>, { tool: string; args: readonly string[]; type: string }>> = {
  ext4: { tool: 'mkfs.ext4', args: ['-q', '-F'], type: 'ext4' },
  'ext4-verity': { tool: 'mkfs.ext4', args: ['-q', '-F', '-O', 'verity'], type: 'ext4' },
  xfs: { tool: 'mkfs.xfs', args: ['-q', '-f'], type: 'xfs' },
};

/** What making a filesystem needs from the system: tests pass a fake. */
export interface ScratchShell {
  readonly isRoot: boolean;
  which(tool: string): string | null;
  /** Whether /proc/filesystems lists it (null: cannot tell). */
  kernelHasFs(type: string): boolean | null;
  exec(cmd: string, args: readonly string[]): ExecResult;
  /** Mount points at or below `dir`. */
  mountedUnder(dir: string): string[];
}

type Held = { kind: 'dir'; path: string } | { kind: 'loop'; dev: string } | { kind: 'mount'; path: string };

function failure(cmd: string, args: readonly string[], r: ExecResult): Error {
  const last = (r.error ?? r.stderr.trim().split('\n').at(-1) ?? '').trim();
  return new Error(`${[cmd, ...args].join(' ')} failed (${r.signal ?? `exit ${r.status}`})${last ? `: ${last}` : ''}`);
}

export class ScratchMounts {
  private readonly held: Held[] = [];
  private readonly sh: ScratchShell;
  private readonly tmpRoot: string;

  constructor(sh: ScratchShell, tmpRoot: string = os.tmpdir()) {
    this.sh = sh;
    this.tmpRoot = tmpRoot;
  }

  /** Why `kind` cannot be made here, or null. */
  whyNot(kind: ScratchKind): string | null {
    if (!this.sh.isRoot) return 'not running as root: mounting needs root';
    const type = kind === 'ramfs' ? 'ramfs' : MKFS[kind].type;
    if (this.sh.kernelHasFs(type) === false) return `the kernel cannot mount ${type}`;
    const tools = kind === 'ramfs' ? ['mount', 'umount'] : ['losetup', MKFS[kind].tool, 'mount', 'umount'];
    const missing = tools.filter((t) => this.sh.which(t) === null);
    return missing.length > 0 ? `${missing.join(', ')} not found` : null;
  }

  /** Makes and mounts `kind` (`sizeMib` for an image); returns the mount point. Throws an Error naming the failed command. */
  make(kind: ScratchKind, sizeMib: number): string {
    const dir = fs.realpathSync(fs.mkdtempSync(nodePath.join(this.tmpRoot, `${DIR_PREFIX}calibrate-${kind}-`)));
    this.held.push({ kind: 'dir', path: dir });
    const items: string[] = [];
    const own = (item: string): void => {
      items.push(item);
      writeOwner(dir, { pid: process.pid, started: processStart(process.pid), items });
    };
    own('calibrate');
    const mnt = nodePath.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    const run = (tool: string, args: readonly string[]): string => {
      const cmd = this.sh.which(tool) ?? tool;
      const r = this.sh.exec(cmd, args);
      if (r.status !== 0) throw failure(tool, args, r);
      return r.stdout;
    };
    if (kind === 'ramfs') {
      run('mount', ['-t', 'ramfs', '-o', SCRATCH_MOUNT_OPTIONS, 'ramfs', mnt]);
    } else {
      const image = nodePath.join(dir, 'image');
      fs.writeFileSync(image, '', { mode: 0o600, flag: 'wx' });
      fs.truncateSync(image, sizeMib * MIB);
      own(`image ${image}`);
      const dev = run('losetup', ['--find', '--show', image]).trim();
      if (!LOOP_DEV_RE.test(dev)) throw new Error(`losetup printed ${JSON.stringify(dev)}, not a loop device`);
      this.held.push({ kind: 'loop', dev });
      own(`loop ${dev}`);
      run(MKFS[kind].tool, [...MKFS[kind].args, dev]);
      run('mount', ['-t', MKFS[kind].type, '-o', SCRATCH_MOUNT_OPTIONS, dev, mnt]);
    }
    this.held.push({ kind: 'mount', path: mnt });
    own(`mount ${mnt}`);
    return mnt;
  }

  /** Unmounts, detaches and removes everything made, newest first. Returns one line per thing that could not be undone. */
  release(): string[] {
    const problems: string[] = [];
    while (this.held.length > 0) {
      const h = this.held.pop()!;
      const undo = (tool: string, args: string[]): void => {
        const r = this.sh.exec(this.sh.which(tool) ?? tool, args);
        if (r.status !== 0) problems.push(failure(tool, args, r).message);
      };
      if (h.kind === 'mount') undo('umount', [h.path]);
      else if (h.kind === 'loop') undo('losetup', ['-d', h.dev]);
      else if (this.sh.mountedUnder(h.path).length > 0)
        problems.push(`left ${h.path} in place: something is still mounted below it`);
      else fs.rmSync(h.path, { recursive: true, force: true });
    }
    return problems;
  }
}

/** This machine: bench:fs's tool lookup, /proc/filesystems, spawnSync, /proc/self/mounts. */
export function realScratchShell(): ScratchShell {
  const host = realHost();
  return {
    isRoot: host.isRoot,
    which: (tool) => host.which(tool),
    kernelHasFs(type) {
      try {
        return fs
          .readFileSync('/proc/filesystems', 'utf8')
          .split('\n')
          .some((l) => l.split('\t').at(-1)?.trim() === type);
      } catch {
        return null;
      }
    },
    exec: (cmd, args) => execCaptured(cmd, args, 120_000),
    mountedUnder: (dir) => mountPointsUnder(fs.readFileSync('/proc/self/mounts', 'utf8'), dir),
  };
}
