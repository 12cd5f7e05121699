/**
 * The NFS client the observer plays: what it compares to decide that a file
 * changed. nfsd hands out i_version as the NFSv4 change attribute where the
 * filesystem keeps it, with the ctime mixed in (for filesystems that do not
 * claim STATX_ATTR_CHANGE_MONOTONIC), so that a counter restarting below a
 * value a client saw, after a crash, still yields a new attribute; without
 * i_version the change attribute is the ctime. An NFSv3 client compares
 * mtime, ctime and size (size never changes here: the files are created at
 * their full length).
 */
import type { Attr } from './attr.js';

export const CLIENTS = {
  nfsv4:
    'NFSv4: the change attribute (i_version with the ctime mixed in where the strategy keeps i_version, else the ctime)',
  nfsv3: 'NFSv3: mtime, ctime and size',
} as const;

export type ClientName = keyof typeof CLIENTS;
export const CLIENT_NAMES = Object.keys(CLIENTS) as ClientName[];
export const DEFAULT_CLIENT: ClientName = 'nfsv4';

/** Does the client see no change between two attribute snapshots? */
export type SameAttr = (a: Attr, b: Attr) => boolean;

const NS_PER_US = 1000;
const US_PER_SEC = 1_000_000;

/** nfsd4_change_attribute: ctime seconds << 30, plus its nanoseconds, plus i_version (exact in a double). */
export function mixedChangeAttr(a: Attr): number {
  const sec = Math.floor(a.ctime / US_PER_SEC);
  return sec * 2 ** 30 + (a.ctime - sec * US_PER_SEC) * NS_PER_US + a.iversion;
}

/**
 * The comparison a client makes. `keepsIversion`: the strategy maintains
 * i_version (else nfsd falls back to the ctime). `mixCtime`: mix the ctime
 * into the change attribute, as nfsd does; false compares i_version alone.
 */
export function sameAttrFor(client: ClientName, keepsIversion: boolean, mixCtime = true): SameAttr {
  if (client === 'nfsv3') return (a, b) => a.mtime === b.mtime && a.ctime === b.ctime;
  if (!keepsIversion) return (a, b) => a.ctime === b.ctime;
  if (!mixCtime) return (a, b) => a.iversion === b.iversion;
  return (a, b) => mixedChangeAttr(a) === mixedChangeAttr(b);
}
