/**
 * Hardware presets by name (`--hardware`), and the `--topology SxCxT`
 * override. Each preset is one file; this table is the only list of them.
 */
import { cpusOf, type Hardware, type Topology } from './hardware.js';
import { hostHardware, readHostHardware } from './this-host.js';
import { WESTMERE_EX_8S } from './westmere-ex-8s.js';

export const HARDWARE_PRESETS = {
  'westmere-ex-8s': {
    about:
      "8 sockets × 10 cores × 2 SMT Xeon E7-8800 (Westmere-EX), the 2013 report's class of machine; published latencies",
    load: (_cwd: string): Hardware => WESTMERE_EX_8S,
  },
  'this-host': {
    about: 'this machine, as npm run calibrate measured it',
    load: (cwd: string): Hardware => hostHardware(readHostHardware(cwd)),
  },
} as const satisfies Record<string, { about: string; load: (cwd: string) => Hardware }>;

export type HardwareName = keyof typeof HARDWARE_PRESETS;
export const HARDWARE_NAMES = Object.keys(HARDWARE_PRESETS) as HardwareName[];
export const DEFAULT_HARDWARE: HardwareName = 'westmere-ex-8s';

/** Most virtual CPUs a simulated machine may have: the most threads a virtual sweep can use. */
export const MAX_VIRTUAL_CPUS = 1024;

/** Loads a preset; `this-host` throws HostHardwareError (one line naming npm run calibrate) when it was never calibrated. */
export function loadHardware(name: HardwareName, cwd: string): Hardware {
  return HARDWARE_PRESETS[name].load(cwd);
}

/** Sockets, cores per socket and threads per core of `SxCxT`, e.g. `8x10x2`; null when malformed. */
export function parseTopology(raw: string): Topology | null {
  const m = /^([1-9]\d{0,3})x([1-9]\d{0,3})x([1-9]\d{0,1})$/.exec(raw.trim());
  if (!m) return null;
  return { sockets: Number(m[1]), coresPerSocket: Number(m[2]), threadsPerCore: Number(m[3]) };
}

export const formatTopology = (t: Topology): string => `${t.sockets}x${t.coresPerSocket}x${t.threadsPerCore}`;

/** `hw` on another topology: same latencies and socket wiring, another shape. */
export function withTopology(hw: Hardware, topology: Topology): Hardware {
  return {
    ...hw,
    topology,
    sources: [...hw.sources, `topology overridden: ${formatTopology(topology)} (${cpusOf(topology)} CPUs)`],
  };
}
