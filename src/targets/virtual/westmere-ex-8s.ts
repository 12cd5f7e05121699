/**
 * `westmere-ex-8s`: the class of machine the 2013 page_fault3 report came
 * from, an 8-socket Intel Xeon E7-8800 (Westmere-EX) server: 8 sockets × 10
 * cores × 2 hardware threads = 160 CPUs, the sockets glued by QPI links.
 *
 * Every figure is published; the "Hardware presets" table in docs/parameters.md names
 * each source and says how the figure was chosen. None was fitted to a
 * faultscale result.
 */
import type { Distance, Hardware } from './hardware.js';

/** Core clock of the Xeon E7-8867L that David et al. measured (Intel ARK: 2.13 GHz). */
export const WESTMERE_EX_GHZ = 2.13;

/**
 * Cycles to take a 64-byte line, by distance. The three cross-core figures are
 * David, Guerraoui, Trigonakis (SOSP 2013), Table 2, Xeon E7-8867L: a load
 * from a line Modified in another core's cache, on the same die, one QPI hop
 * away and two hops away. SMT siblings share the core's L1, so their line is
 * an L1 hit: 4 cycles on Westmere (7-cpu.com, Westmere). An access to a line
 * the CPU already holds ('self') is an L1 hit too.
 */
export const WESTMERE_EX_CYCLES = {
  self: 4,
  smt: 4,
  socket: 109,
  'remote-1hop': 289,
  'remote-2hop': 400,
} as const satisfies Record<Distance, number>;

/**
 * Futex wake-up to running, nanoseconds. No published figure for this machine
 * was found; this is the Atomics.wait/notify wake-up the this-host
 * calibration measured on the 2-core development host on 2026-12-02 (median
 * of three runs: 6.5, 6.7 and 10.1 µs). See docs/parameters.md, "Hardware presets".
 */
export const WESTMERE_EX_WAKE_NS = 6_700;

/**
 * The QPI wiring between the 8 sockets. Each Westmere-EX has four QPI links,
 * three to other processors and one to an I/O hub, so in an 8-socket glueless
 * system each socket reaches three others in one hop; David et al. measured
 * at most two hops. A twisted 3-cube has exactly that shape (3 neighbours,
 * diameter 2): sockets differing in bit 0 or bit 1 are linked, and the bit-2
 * links pair 0–4, 1–5, 2–7 and 3–6. A given board may number its sockets
 * differently; the model depends only on the shape.
 */
const QPI_LINKS: readonly (readonly [number, number])[] = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7], // bit 0
  [0, 2],
  [1, 3],
  [4, 6],
  [5, 7], // bit 1
  [0, 4],
  [1, 5],
  [2, 7],
  [3, 6], // bit 2, twisted on 2 and 3
];

const LINKED = new Set(QPI_LINKS.flatMap(([a, b]) => [`${a}-${b}`, `${b}-${a}`]));

/** 0 for the same socket, 1 for a direct QPI link, 2 through one other socket. */
export function westmereSocketHops(a: number, b: number): number {
  if (a === b) return 0;
  // Sockets beyond 8 (a --topology override) wrap onto the same wiring.
  const x = a % 8;
  const y = b % 8;
  if (x === y) return 2;
  return LINKED.has(`${x}-${y}`) ? 1 : 2;
}

/**
 * Hyper-Threading's gain per core: two busy threads do up to 30% more work
 * than one. Intel's own transaction-processing benchmarks showed 20-30% and
 * its demos 15-30% (ExtremeTech, "Desktop Hyperthreading 150: coming soon",
 * 2002, p. 4); the "up to 30%" of Marr et al. (Intel Technology Journal
 * 6(1), 2002) is the figure usually cited, but its text was not found here.
 * Nehalem and Westmere kept the two-thread design; no figure for the fault
 * path on them was found, so the published upper figure stands.
 */
export const HT_GAIN = 0.3;

const ns = (cycles: number): number => cycles / WESTMERE_EX_GHZ;

export const WESTMERE_EX_8S: Hardware = {
  name: 'westmere-ex-8s',
  topology: { sockets: 8, coresPerSocket: 10, threadsPerCore: 2 },
  lineTransferNs: {
    self: ns(WESTMERE_EX_CYCLES.self),
    smt: ns(WESTMERE_EX_CYCLES.smt),
    socket: ns(WESTMERE_EX_CYCLES.socket),
    'remote-1hop': ns(WESTMERE_EX_CYCLES['remote-1hop']),
    'remote-2hop': ns(WESTMERE_EX_CYCLES['remote-2hop']),
  },
  wakeNs: WESTMERE_EX_WAKE_NS,
  smtGain: HT_GAIN,
  socketHops: westmereSocketHops,
  sources: [
    'topology: Intel Xeon E7-8870/E7-8867L (ARK): 10 cores, 20 threads per socket; 8-socket glueless',
    'socket hops: Xeon 7500/E7 four QPI links, three to other processors (bit-tech, Nehalem-EX review); at most two hops (David et al., SOSP 2013)',
    'line transfers: David, Guerraoui, Trigonakis, SOSP 2013, Table 2 (Xeon E7-8867L, load from Modified: 109 / 289 / 400 cycles), at 2.13 GHz',
    'SMT sibling, and a line already held: L1 data cache latency, 4 cycles (7-cpu.com, Westmere)',
    "SMT: two busy hyper-threads do up to 1.3 times one thread's work (Intel transaction-processing benchmarks 20-30%, ExtremeTech 2002; Marr et al. 2002 as usually cited)",
    'CPU numbering: Linux numbers thread 0 of every core before the siblings on an 8-socket 160-CPU box (Yinghai Lu, commit ec2acaa04b15, MADT order); will-it-scale binds task i to hwloc core i mod cores, so one task per core first',
    'wake-up: not published for this machine; Atomics.wait/notify wake-up measured on the development host',
  ],
};
