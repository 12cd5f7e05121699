/**
 * A machine the virtual-time target simulates: its topology and the costs
 * its cache-coherence model charges. Presets and their published sources
 * live in presets (hardware-presets.ts); every number here is a parameter
 * with a source in docs/parameters.md, never fitted to a filesystem result.
 */

/**
 * sockets × cores per socket × hardware threads per core. CPUs are numbered
 * as Linux numbers them on Intel multi-socket machines and as will-it-scale
 * places its tasks (one per core first, then the cores' second threads): CPU
 * n is thread ⌊n / (S·C)⌋ of core n mod (S·C), and core k is on socket
 * ⌊k / C⌋ (westmere-ex-8s.ts names the sources).
 */
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
  /**
   * What a second busy hardware thread adds to its core's throughput: two
   * busy siblings together do 1 + smtGain times the work of one, so each
   * runs its instructions 2 / (1 + smtGain) times slower.
   */
  readonly smtGain: number;
  /** Socket hops between two sockets (1 when directly linked, 2 through another socket). */
  socketHops(a: number, b: number): number;
  /** Where each figure comes from, for docs/parameters.md and the JSON. */
  readonly sources: readonly string[];
}

export const cpusOf = (t: Topology): number => t.sockets * t.coresPerSocket * t.threadsPerCore;

/** The core (0 .. S·C − 1, socket-major) of CPU `n`. */
export const coreOf = (t: Topology, n: number): number => n % (t.sockets * t.coresPerSocket);

/** The distance between CPUs `a` and `b` of `hw`. */
export function distance(hw: Hardware, a: number, b: number): Distance {
  if (a === b) return 'self';
  const C = hw.topology.coresPerSocket;
  const coreA = coreOf(hw.topology, a);
  const coreB = coreOf(hw.topology, b);
  if (coreA === coreB) return 'smt';
  const sa = Math.floor(coreA / C);
  const sb = Math.floor(coreB / C);
  if (sa === sb) return 'socket';
  return hw.socketHops(sa, sb) <= 1 ? 'remote-1hop' : 'remote-2hop';
}

/**
 * How much slower each of the run's CPUs executes because of the writers
 * beside it on its core. A core with k busy threads shares its execution
 * among them, 1 + smtGain·(min(k, T) − 1) times one thread's work, and
 * time-slices beyond its T threads (writers past the topology wrap onto it).
 * Writers never idle, so a writer counts every writer on its core. A service
 * (timer, flusher, committer, observer) mostly sleeps and, when it runs,
 * preempts a writer on its own hardware thread, so it counts only the
 * writers on its core's other threads. `cpus` run CPUs, the first `writers`
 * of them writers.
 */
export function execSlowdown(hw: Hardware, cpus: number, writers: number): Float64Array {
  const t = hw.topology;
  const positions = cpusOf(t);
  const writersOnCore = new Int32Array(t.sockets * t.coresPerSocket);
  const writersAt = new Int32Array(positions);
  for (let w = 0; w < writers; w++) {
    writersOnCore[coreOf(t, w % positions)]!++;
    writersAt[w % positions]!++;
  }
  const out = new Float64Array(cpus);
  for (let c = 0; c < cpus; c++) {
    const p = c % positions;
    const k = c < writers ? writersOnCore[coreOf(t, p)]! : 1 + writersOnCore[coreOf(t, p)]! - writersAt[p]!;
    out[c] = k <= 1 ? 1 : k / (1 + hw.smtGain * (Math.min(k, t.threadsPerCore) - 1));
  }
  return out;
}
