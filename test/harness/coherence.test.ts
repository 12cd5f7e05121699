/**
 * this-host calibration: the figures from raw samples, sysfs topology parsing
 * on fixtures, the record's round trip through the preset's reader, and one
 * quick real measurement between two threads (invariants only, no timings).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { COHERENCE_QUICK, coherenceFigures, measureCoherence } from '../../src/harness/calibrate/coherence.js';
import { hostHardwareRecord, writeHostHardware } from '../../src/harness/calibrate/host-hardware.js';
import { parseCpuList, topologyFrom, type CpuFacts } from '../../src/harness/calibrate/host-topology.js';
import { HOST_HARDWARE_PATH, readHostHardware } from '../../src/targets/virtual/this-host.js';

describe('coherence figures', () => {
  it('line transfer is the two-thread hand-off minus the one-thread loop, per hand-off; wake-up is half a round trip', () => {
    const m = coherenceFigures([3000, 2000, 1_000_000], [400, 500, 600], 10, [20_000, 10_000, 12_000]);
    expect(m).toMatchObject({
      pingPongNs: 300,
      oneThreadNs: 50,
      lineTransferNs: 250,
      wakeRoundTripNs: 12_000,
      wakeNs: 6_000,
      wakeSamples: 3,
    });
  });

  it('never reports a negative transfer when noise makes the one-thread loop look slower', () => {
    expect(coherenceFigures([100], [200], 1, [1]).lineTransferNs).toBe(0);
  });
});

describe('sysfs topology', () => {
  it('parses CPU lists', () => {
    expect(parseCpuList('0')).toEqual([0]);
    expect(parseCpuList('0-1\n')).toEqual([0, 1]);
    expect(parseCpuList('0,80')).toEqual([0, 80]);
    expect(parseCpuList('0-1,4-5')).toEqual([0, 1, 4, 5]);
    for (const bad of ['', 'a', '3-1', '0,,1', '0-']) expect(parseCpuList(bad), bad).toBeNull();
  });

  const smtMachine = (sockets: number, cores: number): CpuFacts[] => {
    // Linux numbering: CPU c and c + sockets·cores are siblings of one core.
    const n = sockets * cores;
    const out: CpuFacts[] = [];
    for (let t = 0; t < 2; t++) {
      for (let c = 0; c < n; c++) out.push({ siblings: `${c},${c + n}`, packageId: String(Math.floor(c / cores)) });
    }
    return out;
  };

  it('reads sockets, cores and SMT siblings of a regular machine', () => {
    expect(topologyFrom(160, smtMachine(8, 10))).toEqual({
      topology: { sockets: 8, coresPerSocket: 10, threadsPerCore: 2 },
      source: 'sysfs',
    });
    const twoCores: CpuFacts[] = [
      { siblings: '0\n', packageId: '0\n' },
      { siblings: '1\n', packageId: '0\n' },
    ];
    expect(topologyFrom(2, twoCores)).toEqual({
      topology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 },
      source: 'sysfs',
    });
  });

  it('falls back to one socket of single-thread cores when sysfs is unreadable or irregular', () => {
    const flat = (n: number) => ({ topology: { sockets: 1, coresPerSocket: n, threadsPerCore: 1 }, source: 'os.cpus' });
    // Each CPU's siblings in package 0: one unreadable, two CPUs claiming one core, one unparsable.
    const irregular: (string | null)[][] = [
      [null, '1', '2', '3'],
      ['0-1', '0-1', '2'],
      ['x', '1'],
    ];
    for (const siblings of irregular) {
      const facts = siblings.map((s) => ({ siblings: s, packageId: '0' }));
      expect(topologyFrom(facts.length, facts), JSON.stringify(siblings)).toEqual(flat(facts.length));
    }
    expect(topologyFrom(2, [])).toEqual(flat(2));
  });
});

describe('the this-host record', () => {
  it('round-trips through the file the preset reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-hh-'));
    const m = coherenceFigures([2000], [500], 10, [14_000]);
    const rec = hostHardwareRecord(
      m,
      { topology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 }, source: 'sysfs' },
      new Date('2026-12-02T06:00:00Z'),
    );
    writeHostHardware(rec, path.join(dir, HOST_HARDWARE_PATH));
    expect(readHostHardware(dir)).toEqual(rec);
    expect(fs.readdirSync(path.dirname(path.join(dir, HOST_HARDWARE_PATH)))).toEqual(['this-host.json']);
  });

  it('refuses to write a record the preset could not read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faultscale-hh-'));
    const m = { ...coherenceFigures([2000], [500], 10, [14_000]), wakeNs: Number.NaN };
    const rec = hostHardwareRecord(
      m,
      { topology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 }, source: 'sysfs' },
      new Date(),
    );
    expect(() => writeHostHardware(rec, path.join(dir, 'h.json'))).toThrow(/wakeNs/);
    expect(fs.existsSync(path.join(dir, 'h.json'))).toBe(false);
  });
});

describe('measuring two real threads', () => {
  it('hands the line back and forth and wakes the partner; every figure is finite and the transfer not negative', async () => {
    const m = await measureCoherence({ ...COHERENCE_QUICK, batches: 5, wakeRounds: 20 });
    for (const v of [m.pingPongNs, m.oneThreadNs, m.lineTransferNs, m.wakeRoundTripNs, m.wakeNs])
      expect(Number.isFinite(v)).toBe(true);
    expect(m.lineTransferNs).toBeGreaterThanOrEqual(0);
    expect(m.wakeSamples).toBeGreaterThan(0);
    expect(m.wakeSamples).toBeLessThanOrEqual(20);
    expect(m.wakeNs).toBe(m.wakeRoundTripNs / 2);
  }, 60_000);
});
