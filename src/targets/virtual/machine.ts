/**
 * The simulated machine every virtual CPU of a run shares: the coherence
 * state of each 64-byte line, the calendars of line transfers and lock
 * holds, the latency of a transfer between any two CPUs, the CPUs asleep on
 * a word, and what each CPU spent waiting. VirtualMemory (one per CPU)
 * charges its CPU's clock against this state.
 *
 * Coherence is MSI-like with a forwarder: a line has one writer-owner (M) or
 * a set of sharers (S, a bitmask over CPUs) of which the last to fetch it
 * forwards it (MESIF's F state). A hit costs the preset's `self` latency
 * (an L1 hit; on this-host, one Atomics operation that finds its line); a
 * read miss fetches the line from its owner or forwarder; a write by a CPU
 * that does not own the line takes it from the owner or invalidates every
 * sharer (the farthest one's latency: the writer waits for every
 * acknowledgement). A line nobody has cached yet costs a hit (memory
 * latency is not modelled).
 */
import { LINE, LOCK_CLASSES } from '../../model/layout.js';
import { distance, execSlowdown, type Hardware, cpusOf } from './hardware.js';
import { HoldPlacer } from './holds.js';
import { Timeline } from './timeline.js';

const LINE_SHIFT = Math.log2(LINE);

/** Transfer latency between run CPUs a and b, flattened [a * cpus + b]. CPUs beyond the topology wrap around it. */
export function latencyTable(hw: Hardware, cpus: number): Float64Array {
  const lat = new Float64Array(cpus * cpus);
  const positions = cpusOf(hw.topology);
  for (let a = 0; a < cpus; a++) {
    for (let b = 0; b < cpus; b++) {
      if (a === b) continue;
      const pa = a % positions;
      const pb = b % positions;
      // Two run CPUs on one hardware thread (a service beside a writer when the run has more CPUs than the
      // topology) share that core's caches, as SMT siblings do.
      lat[a * cpus + b] = hw.lineTransferNs[pa === pb ? 'smt' : distance(hw, pa, pb)];
    }
  }
  return lat;
}

export class VirtualMachine {
  readonly cpus: number;
  readonly lat: Float64Array;
  readonly wakeNs: number;
  /** Per CPU: how much slower it executes for sharing its core with busy siblings (Hardware.smtGain). */
  readonly slowdown: Float64Array;
  /** What an access to a line this CPU already holds costs (Hardware.lineTransferNs.self). */
  readonly hitNs: number;
  /** Int32 words of a line's sharer mask. */
  readonly words: number;
  /** Per line: owning CPU + 1 (M), or 0. */
  readonly owner: Int32Array;
  /** Per line: the sharer that forwards it + 1, or 0. */
  readonly forwarder: Int32Array;
  readonly sharers: Int32Array;
  /** Transfers of each line. */
  private readonly lineTimes: Timeline;
  /** Per slot: the lock whose first slot it is, + 1, or 0 (lock ids are dense, in order of first use). */
  private readonly lockIds: Int32Array;
  private locks = 0;
  /** Exclusive holds of each lock, and readers' holds of rw locks. */
  readonly lockHolds: Timeline;
  readonly readerHolds: Timeline;
  readonly holds: HoldPlacer;
  /** The measured window: waits are counted only inside it. */
  windowFrom = 0;
  windowTo = Infinity;
  /** Each CPU's clock, ns of virtual time (in a typed array, so moving it allocates nothing). */
  readonly clock: Float64Array;
  /** The smallest clock of any CPU: nothing can be placed before it. */
  horizon = 0;

  // ---- what each CPU spent waiting, ns (the wait shares)
  readonly lineWaitNs: Float64Array;
  readonly transfers: Float64Array;
  /** [cpu * LOCK_CLASSES.length + class] */
  readonly lockWaitNs: Float64Array;

  /** Per CPU: the slot it sleeps on (waiting for a notify), or -1. */
  readonly sleepingOn: Int32Array;
  /** Called when a notify wakes `cpu` at `at` (the scheduler moves it). */
  onWake: (cpu: number, at: number) => void = () => {};

  constructor(hw: Hardware, cpus: number, slots: number, writers: number) {
    this.cpus = cpus;
    this.slowdown = execSlowdown(hw, cpus, writers);
    this.clock = new Float64Array(cpus);
    this.lat = latencyTable(hw, cpus);
    this.wakeNs = hw.wakeNs;
    this.hitNs = hw.lineTransferNs.self;
    this.words = Math.ceil(cpus / 32);
    const lines = Math.ceil(slots / LINE);
    this.owner = new Int32Array(lines);
    this.forwarder = new Int32Array(lines);
    this.sharers = new Int32Array(lines * this.words);
    this.lineTimes = new Timeline(lines);
    this.lockIds = new Int32Array(slots);
    this.lockHolds = new Timeline(64);
    this.readerHolds = new Timeline(64);
    this.holds = new HoldPlacer(this.lat, cpus, hw.wakeNs);
    this.lineWaitNs = new Float64Array(cpus);
    this.transfers = new Float64Array(cpus);
    this.lockWaitNs = new Float64Array(cpus * LOCK_CLASSES.length);
    this.sleepingOn = new Int32Array(cpus).fill(-1);
  }

  /** A read of `slot` by `cpu`: its clock moves to when the data is there. */
  read(cpu: number, slot: number): void {
    const line = slot >>> LINE_SHIFT;
    const o = this.owner[line]!;
    if (o === cpu + 1) {
      this.clock[cpu]! += this.hitNs;
      return;
    }
    const w = line * this.words + (cpu >>> 5);
    const bit = 1 << (cpu & 31);
    if ((this.sharers[w]! & bit) !== 0) {
      this.clock[cpu]! += this.hitNs;
      return;
    }
    let from: number;
    if (o !== 0) {
      // The owner keeps a shared copy (M -> S).
      from = o - 1;
      this.owner[line] = 0;
      this.sharers[line * this.words + (from >>> 5)]! |= 1 << (from & 31);
    } else {
      from = this.forwarder[line]! - 1;
    }
    this.sharers[w]! |= bit;
    this.forwarder[line] = cpu + 1;
    if (from >= 0) this.transfer(cpu, line, this.lat[cpu * this.cpus + from]!);
    else this.clock[cpu]! += this.hitNs;
  }

  /** A write (or read-modify-write) of `slot` by `cpu`: its clock moves to when the line is owned. */
  write(cpu: number, slot: number): void {
    const line = slot >>> LINE_SHIFT;
    const o = this.owner[line]!;
    if (o === cpu + 1) {
      this.clock[cpu]! += this.hitNs;
      return;
    }
    let cost = 0;
    if (o !== 0) {
      cost = this.lat[cpu * this.cpus + o - 1]!;
    } else {
      // Invalidate every other sharer; the write completes when the farthest has acknowledged.
      const base = line * this.words;
      const row = cpu * this.cpus;
      for (let k = 0; k < this.words; k++) {
        let word = this.sharers[base + k]!;
        if (word === 0) continue;
        this.sharers[base + k] = 0;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          const c = (k << 5) + 31 - Math.clz32(low);
          const l = this.lat[row + c]!;
          if (l > cost) cost = l;
        }
      }
    }
    this.owner[line] = cpu + 1;
    this.forwarder[line] = 0;
    if (cost > 0) this.transfer(cpu, line, cost);
    else this.clock[cpu]! += this.hitNs;
  }

  /** Queue a transfer of `line` to `cpu`, requested now, in the line's calendar; the clock moves to its arrival. */
  private transfer(cpu: number, line: number, ns: number): void {
    const t = this.clock[cpu]!;
    let done = t + ns;
    if (this.lineTimes.idle(line, this.horizon)) {
      this.lineTimes.put(line, t, done, cpu);
    } else {
      const cal = this.lineTimes.open(line, this.horizon);
      done = cal.fit(t, ns) + ns;
      cal.insert(done - ns, done, 1, cpu);
      this.lineTimes.close(line, cal);
    }
    this.lineWaitNs[cpu]! += this.inWindow(t, done);
    this.transfers[cpu]!++;
    this.clock[cpu] = done;
  }

  /** The part of [a, b) inside the measured window. */
  inWindow(a: number, b: number): number {
    const lo = a > this.windowFrom ? a : this.windowFrom;
    const hi = b < this.windowTo ? b : this.windowTo;
    return hi > lo ? hi - lo : 0;
  }

  /** The id of the lock whose first slot is `base`. */
  lockId(base: number): number {
    let id = this.lockIds[base]!;
    if (id === 0) {
      id = ++this.locks;
      this.lockIds[base] = id;
      this.lockHolds.ensure(id + 1);
      this.readerHolds.ensure(id + 1);
    }
    return id;
  }

  /** Wake up to `count` CPUs sleeping on `slot`, `wakeNs` after `t`; returns how many. */
  notify(slot: number, t: number, count: number): number {
    let n = 0;
    for (let c = 0; c < this.cpus && n < count; c++) {
      if (this.sleepingOn[c] !== slot) continue;
      this.sleepingOn[c] = -1;
      this.onWake(c, t + this.wakeNs);
      n++;
    }
    return n;
  }
}
