/**
 * A machine the virtual-time target simulates: its topology and the costs
 * its cache-coherence model charges. Presets and their published sources
 * live in presets (hardware-presets.ts); every number here is a parameter
 * with a source in docs/parameters.md, never fitted to a filesystem result.
 */

/** sockets × cores per socket × hardware threads per core; CPU n is thread n % T of core ⌊n / T⌋ % C of socket ⌊n / (C·T)⌋. */
export interface Topology {
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: number;
}

/** How far a cache line travels between two CPUs. */
export type Distance = 'self' | 'smt' | 'socket' | 'remote-1hop' | 'remote-2hop';

export interface Hardware {
  readonly name: string;
  readonly topology: Topology;
  /** Nanoseconds to take a 64-byte line from another CPU's cache, by distance ('self': already owned). */
  readonly lineTransferNs: Readonly<Record<Distance, number>>;
  /** Nanoseconds for a sleeping CPU to be woken and run again (futex wake-up to running). */
  readonly wakeNs: number;
  /** Socket hops between two sockets (1 when directly linked, 2 through another socket). */
  socketHops(a: number, b: number): number;
  /** Where each figure comes from, for docs/parameters.md and the JSON. */
  readonly sources: readonly string[];
}

export const cpusOf = (t: Topology): number => t.sockets * t.coresPerSocket * t.threadsPerCore;

/** The distance between CPUs `a` and `b` of `hw`. */
export function distance(hw: Hardware, a: number, b: number): Distance {
  if (a === b) return 'self';
  const { coresPerSocket: C, threadsPerCore: T } = hw.topology;
  const coreA = Math.floor(a / T);
  const coreB = Math.floor(b / T);
  if (coreA === coreB) return 'smt';
  const sa = Math.floor(coreA / C);
  const sb = Math.floor(coreB / C);
  if (sa === sb) return 'socket';
  return hw.socketHops(sa, sb) <= 1 ? 'remote-1hop' : 'remote-2hop';
}
