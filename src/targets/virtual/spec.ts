/**
 * A Hardware as plain data, so it can be posted to a pool thread: its
 * socket wiring (a function) becomes a table of hops between sockets.
 */
import type { Distance, Hardware, Topology } from './hardware.js';

export interface HardwareSpec {
  readonly name: string;
  readonly topology: Topology;
  readonly lineTransferNs: Readonly<Record<Distance, number>>;
  readonly wakeNs: number;
  readonly smtGain: number;
  /** hops[a * sockets + b] */
  readonly hops: readonly number[];
  readonly sources: readonly string[];
}

export function toSpec(hw: Hardware): HardwareSpec {
  const s = hw.topology.sockets;
  const hops: number[] = [];
  for (let a = 0; a < s; a++) for (let b = 0; b < s; b++) hops.push(hw.socketHops(a, b));
  return {
    name: hw.name,
    topology: hw.topology,
    lineTransferNs: hw.lineTransferNs,
    wakeNs: hw.wakeNs,
    smtGain: hw.smtGain,
    hops,
    sources: hw.sources,
  };
}

export function fromSpec(spec: HardwareSpec): Hardware {
  const s = spec.topology.sockets;
  return { ...spec, socketHops: (a, b) => spec.hops[a * s + b] ?? 2 };
}
