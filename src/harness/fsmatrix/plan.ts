/** bench:fs planning, pure: which combinations run, which are skipped and why, their sizes and command lines. */
import { FS_PACKAGE, MKFS_FLAGS, imageSizeMib, type FsName, type LoopFs } from './constants.js';
import type { MatrixArgs } from './args.js';

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
    if (!host.isRoot)
      skip =
        f === 'tmpfs'
          ? 'not running as root: mounting a tmpfs needs root'
          : 'not running as root: loop devices and mounts need root';
    else if (missing.length > 0) skip = missing.join('; ');
    else if (host.kernelHasFs(f) === false)
      skip = `the kernel cannot mount ${f} (not in /proc/filesystems, no modules to load)`;
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
