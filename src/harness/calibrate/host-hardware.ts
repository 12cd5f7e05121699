/**
 * The `this-host` calibration record: measured coherence figures and the
 * topology, written as JSON beside the host cost profile, where the
 * `this-host` hardware preset reads it (src/targets/virtual/this-host.ts).
 */
import path from 'node:path';

import { writeFileAtomic } from '../../rows/write-atomic.js';
import { hostHardwareProblem, type HostHardware } from '../../targets/virtual/this-host.js';
import { COHERENCE_DEFAULTS, COHERENCE_QUICK, measureCoherence, type CoherenceMeasurement } from './coherence.js';
import { readHostTopology, type HostTopology } from './host-topology.js';

/** The this-host record is written beside the cost profile, under this name. */
export const HOST_HARDWARE_FILE = 'this-host.json';

export function hostHardwareRecord(m: CoherenceMeasurement, t: HostTopology, now: Date): HostHardware {
  return {
    name: 'this-host',
    version: 1,
    measuredAt: now.toISOString(),
    topology: t.topology,
    topologySource: t.source,
    lineTransferNs: m.lineTransferNs,
    wakeNs: m.wakeNs,
    pingPongNs: m.pingPongNs,
    oneThreadNs: m.oneThreadNs,
    wakeRoundTripNs: m.wakeRoundTripNs,
  };
}

/** Writes the record (checked as the preset will read it) through a temporary file, so a reader never sees half of it. */
export function writeHostHardware(record: HostHardware, file: string): void {
  const problem = hostHardwareProblem(record);
  if (problem !== null) throw new Error(`refusing to write a this-host record: ${problem}`);
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, { mkdir: true });
}

/** Measures this machine, writes the record beside the profile `profileOut`, and returns it with the lines that report it. */
export async function calibrateThisHost(
  profileOut: string,
  quick: boolean,
  when: Date,
): Promise<{ file: string; record: HostHardware; lines: string[] }> {
  const m = await measureCoherence(quick ? COHERENCE_QUICK : COHERENCE_DEFAULTS);
  const t = readHostTopology();
  const record = hostHardwareRecord(m, t, when);
  const file = path.join(path.dirname(profileOut), HOST_HARDWARE_FILE);
  writeHostHardware(record, file);
  const { sockets, coresPerSocket, threadsPerCore } = t.topology;
  const lines = [
    `this-host hardware (the virtual target's --hardware this-host), written to ${file}:`,
    `  topology ${sockets}x${coresPerSocket}x${threadsPerCore} (sockets x cores x threads, from ${t.source})`,
    `  line transfer: ${m.lineTransferNs.toFixed(1)} ns per hand-off (${m.pingPongNs.toFixed(1)} ns between two threads minus ${m.oneThreadNs.toFixed(1)} ns on one; medians)`,
    `  wake-up: ${(m.wakeNs / 1000).toFixed(1)} us (half the median Atomics.wait/notify round trip, ${m.wakeSamples} rounds with both threads asleep)`,
  ];
  return { file, record, lines };
}
