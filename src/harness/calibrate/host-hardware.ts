/**
 * The `this-host` calibration record: measured coherence figures and the
 * topology, written as JSON beside the host cost profile, where the
 * `this-host` hardware preset reads it (src/targets/virtual/this-host.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

import { hostHardwareProblem, type HostHardware } from '../../targets/virtual/this-host.js';
import type { CoherenceMeasurement } from './coherence.js';
import type { HostTopology } from './host-topology.js';

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
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
