/**
 * What file system a directory lives on, for labelling kernel-target results:
 * the fault path (page_mkwrite, timestamp and i_version updates) differs per
 * file system and per mount option (lazytime, noatime, i_version, …).
 */
import fs from 'node:fs';
import os from 'node:os';

export interface FsInfo {
  /** e.g. 'ext4', 'tmpfs', 'xfs', 'proc'; 'unknown' where /proc/self/mountinfo is unreadable. */
  fsType: string;
  /** Per-mount options, then the super block's options, joined by ','. */
  mountOptions: string;
  /** The mount point containing the directory. */
  mountPoint: string;
  /** The mount source (device, or e.g. 'tmpfs'). */
  source: string;
}

/** Decodes the octal escapes (\040 space, \011 tab, \012 newline, \134 backslash) of mountinfo fields. */
function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function contains(mountPoint: string, p: string): boolean {
  if (mountPoint === '/') return p.startsWith('/');
  return p === mountPoint || p.startsWith(mountPoint + '/');
}

/**
 * The mount containing `dir` (resolved with realpath; throws if it does not
 * exist), from /proc/self/mountinfo: the longest mount point that is a prefix
 * of the path; among equal mount points the last listed, which is the one on
 * top (mounted later over the others).
 *
 * mountinfo line: `id parent maj:min root mountpoint mountopts [optional…] - fstype source superopts`.
 */
export function fsInfo(dir: string): FsInfo {
  const real = fs.realpathSync(dir);
  let text: string;
  try {
    text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return { fsType: 'unknown', mountOptions: '', mountPoint: '', source: '' };
  }
  let best: FsInfo | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split(' ');
    const dash = fields.indexOf('-', 6);
    const mountPoint = fields[4];
    const perMount = fields[5];
    const fsType = fields[dash + 1];
    if (dash < 0 || mountPoint === undefined || perMount === undefined || fsType === undefined) continue;
    const mp = unescapeField(mountPoint);
    if (!contains(mp, real)) continue;
    if (best !== undefined && mp.length < best.mountPoint.length) continue;
    const superOpts = fields[dash + 3] ?? '';
    best = {
      fsType: unescapeField(fsType),
      mountOptions: [perMount, superOpts]
        .filter((o) => o !== '')
        .map(unescapeField)
        .join(','),
      mountPoint: mp,
      source: unescapeField(fields[dash + 2] ?? ''),
    };
  }
  return best ?? { fsType: 'unknown', mountOptions: '', mountPoint: '', source: '' };
}

/** The running kernel's release string (uname -r). */
export function kernelVersion(): string {
  return os.release();
}
